package io.gitversion.cli.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.catalog.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The query API as the CLI's history commands use it ({@code log}, {@code show}, {@code tag}, ...): the processor's
 * JSON over HTTP, at the dashboard's address. An error answer becomes one line naming what was asked; an API that does
 * not answer names the address and how to give another.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ApiClient(String base) {
    String url = base.endsWith("/") ? base : base + "/";
    try {
      this.base = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new UserError("not an API address: " + base + " (give the dashboard's URL, e.g. http://127.0.0.1:7070/)");
    }
  }

  /** A path segment, encoded. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code name=value&...} of the non-null values, encoded. */
  public static String query(Map<String, String> parameters) {
    StringBuilder q = new StringBuilder();
    parameters.forEach((name, value) -> {
      if (value != null) {
        q.append(q.length() == 0 ? "?" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    });
    return q.toString();
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
  }

  public JsonNode post(String path, Object body) {
    try {
      return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))), path);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The source to ask about: {@code named}, or the only one there is (several: the user must name one).
   */
  public String source(String named) {
    if (named != null) {
      return named;
    }
    JsonNode sources = get("api/sources");
    if (sources.size() == 1) {
      return sources.get(0).path("name").asText();
    }
    if (sources.isEmpty()) {
      throw new UserError("no source has history at " + base + " yet");
    }
    StringBuilder names = new StringBuilder();
    sources.forEach(s -> names.append(names.length() == 0 ? "" : ", ").append(s.path("name").asText()));
    throw new UserError("several sources have history (" + names + "): name one with --source");
  }

  private JsonNode send(HttpRequest.Builder request, String path) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UserError("no query API answers at " + base + " (" + e.getClass().getSimpleName()
          + "): start gitversion up or processor, or name the API with --api URL or GITVERSION_API");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while asking " + base);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UserError(base.resolve(path) + " answered " + response.statusCode() + " with something else than JSON: is it gitversion's API?");
    }
    if (response.statusCode() >= 400) {
      throw new UserError(body.path("error").asText("the API answered " + response.statusCode()));
    }
    return body;
  }
}
