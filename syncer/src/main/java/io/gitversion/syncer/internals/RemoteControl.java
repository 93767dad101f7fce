package io.gitversion.syncer.internals;

import io.gitversion.contract.Topics;
import io.gitversion.contract.TopicFollower;
import io.gitversion.schemas.RemoteCommand;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the requests of {@code gitversion remote} and {@code gitversion tenants} ({@link Topics#REMOTE_COMMANDS}) to
 * whoever keeps the remote or tenant they name (its worker, its template's rollout), while the syncer runs: read from the topic's end as it is when the syncer starts (a request made while no
 * syncer ran is not carried out later; the command that made it said so when no answer came).
 */
public final class RemoteControl extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(RemoteControl.class);

  private final java.util.function.Function<String, java.util.function.Consumer<RemoteCommand>> keeper;
  private final java.util.function.Consumer<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> deadLetters;

  /** {@code keeper}: who takes the commands for a name, now (remotes and tenants come and go); null: nobody here. */
  public RemoteControl(java.util.function.Function<String, java.util.function.Consumer<RemoteCommand>> keeper,
                       Map<String, Object> clientProperties,
                       java.util.function.Consumer<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> deadLetters) {
    super(clientProperties, "gitversion-syncer-control");
    this.keeper = keeper;
    this.deadLetters = deadLetters;
    assignAll(false, Topics.REMOTE_COMMANDS.name()); // from now, fixed before the syncer says it runs
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) {
    RemoteCommand command;
    try {
      command = Topics.REMOTE_COMMANDS.valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      log.error("unreadable remote command at {}-{}@{} sent to {}: {}", record.topic(), record.partition(), record.offset(),
          Topics.DEAD_LETTER.name(), e.getMessage());
      deadLetters.accept(io.gitversion.contract.DeadLetters.of(record, "syncer", "unreadable remote command: " + e.getMessage()));
      return;
    }
    java.util.function.Consumer<RemoteCommand> taker = keeper.apply(command.getRemote());
    if (taker != null) {
      log.info("{}: {} requested ({})", command.getRemote(), command.getAction(), command.getRequestId());
      taker.accept(command);
    }
  }

  @Override
  protected String does() {
    return "takes remote commands (the syncer)";
  }
}
