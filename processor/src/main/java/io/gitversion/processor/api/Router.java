package io.gitversion.processor.api;

import io.gitversion.processor.history.History;
import io.gitversion.processor.history.HistoryStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Where a source's history is answered: each source's history lives in the partition of its key, on the instance that
 * runs that partition's task (Kafka Streams' metadata says which, through each instance's {@code application.server}).
 * A request about a source held elsewhere is passed to that instance, once (a routed request is never routed again).
 */
final class Router {
  /** Marks a request passed on by another instance. */
  static final String ROUTED = "X-Gitversion-Routed";

  private final java.util.function.Supplier<KafkaStreams> streams;
  private volatile HostInfo self;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** {@code streams} gives the running application, or null until it runs. */
  Router(java.util.function.Supplier<KafkaStreams> streams) {
    this.streams = streams;
  }

  /** This instance's address, as the other instances reach it (its {@code application.server}). */
  void bind(HostInfo self) {
    this.self = self;
  }

  /** The history stores of this instance. */
  History local() {
    return new History(new History.Stores() {
      @Override
      public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return running().store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
      }
    });
  }

  /** The modules' state (a global store: every instance has all of it). */
  ReadOnlyKeyValueStore<String, io.gitversion.schemas.ModuleState> modules() {
    return running().store(StoreQueryParameters.fromNameAndType(HistoryStores.MODULES,
        QueryableStoreTypes.<String, io.gitversion.schemas.ModuleState>keyValueStore()));
  }

  /** The instance that holds the source's history, or empty when it is this one (or no instance is known yet). */
  Optional<HostInfo> elsewhere(String database) {
    KeyQueryMetadata metadata = running().queryMetadataForKey(HistoryStores.COMMIT_LOG, database, Serdes.String().serializer());
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || metadata.activeHost().equals(self)) {
      return Optional.empty();
    }
    return Optional.of(metadata.activeHost());
  }

  /** Whether this instance runs a partition of the history (else it holds no source, and passes every request on). */
  boolean holdsHistory() {
    for (StreamsMetadata m : running().streamsMetadataForStore(HistoryStores.COMMIT_LOG)) {
      if (m.hostInfo().equals(self)) {
        return true;
      }
    }
    return false;
  }

  /** Every other instance of the application that holds history. */
  List<HostInfo> others() {
    List<HostInfo> hosts = new ArrayList<>();
    for (StreamsMetadata m : running().streamsMetadataForStore(HistoryStores.COMMIT_LOG)) {
      if (!m.hostInfo().equals(self)) {
        hosts.add(m.hostInfo());
      }
    }
    return hosts;
  }

  private KafkaStreams running() {
    KafkaStreams running = streams.get();
    if (running == null) {
      throw new Unavailable("the processor is starting: retry");
    }
    return running;
  }

  /** The request passed on to {@code host}: its status, content type and body. */
  HttpResponse<byte[]> pass(HostInfo host, String method, String pathAndQuery, byte[] body, String contentType) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
          .timeout(Duration.ofSeconds(30)).header(ROUTED, self.host() + ":" + self.port());
      if (contentType != null) {
        request.header("Content-Type", contentType);
      }
      request.method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.io.IOException e) {
      throw new Unavailable("the instance holding this source (" + host + ") does not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while asking " + host);
    }
  }

  /** No instance can answer now (a rebalance, a restore, an instance down): the client may retry. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }
}
