package io.gitversion.processor.api;

import io.gitversion.contract.TopicFollower;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.BlueGreenDeployment;
import io.gitversion.schemas.ShardCheck;
import io.gitversion.schemas.ShardObject;
import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the advanced module's commands publish, for the dashboard: the last check of each shard group ({@code GET
 * /api/shards}, from {@code gitversion.shard-checks}) and the last blue-green deployment of each schema ({@code GET
 * /api/bluegreen}, from {@code gitversion.bluegreen}). Follows its topics from their beginning; reads no database.
 */
final class AdvancedViews extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(AdvancedViews.class);

  private final Map<String, ShardCheck> shardChecks = new ConcurrentSkipListMap<>();
  private final Map<String, BlueGreenDeployment> deployments = new ConcurrentSkipListMap<>();

  AdvancedViews(Map<String, Object> clientProperties) {
    super(clientProperties, "gitversion-processor-advanced");
  }

  AdvancedViews start() {
    startThread("gitversion-processor-advanced");
    return this;
  }

  void register(RoutesConfig app) {
    app.get("/api/shards", ctx -> ctx.json(shards()));
    app.get("/api/bluegreen", ctx -> ctx.json(deployments()));
  }

  @Override
  protected void begin() {
    assignAll(true, Topics.SHARD_CHECKS.name(), Topics.BLUEGREEN.name());
  }

  @Override
  protected String does() {
    return "follows the advanced module's shard checks and blue-green deployments";
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.topic().equals(Topics.BLUEGREEN.name())) {
        follow(deployments, Topics.BLUEGREEN, record);
      } else {
        follow(shardChecks, Topics.SHARD_CHECKS, record);
      }
    } catch (RuntimeException e) {
      log.debug("unreadable record on {}", record.topic(), e);
    }
  }

  /** An entry of a compacted topic into its map (a tombstone removes it). */
  private static <V> void follow(Map<String, V> entries, io.gitversion.contract.Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      entries.remove(record.key());
    } else {
      entries.put(record.key(), topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
    }
  }

  /** Each schema's last deployment: its versions, state, operations, the SQL of each step, and how it ended. */
  List<Map<String, Object>> deployments() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (BlueGreenDeployment d : deployments.values()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("source", d.getSource());
      row.put("schema", d.getSchema$());
      row.put("from", d.getFromVersion());
      row.put("to", d.getToVersion());
      row.put("state", d.getState());
      row.put("operations", d.getOperations());
      row.put("expand", d.getExpand());
      row.put("contract", d.getContract());
      row.put("revert", d.getRevert());
      row.put("startedAt", d.getStartedAt().toString());
      row.put("endedAt", d.getEndedAt() == null ? null : d.getEndedAt().toString());
      row.put("outcome", d.getOutcome());
      row.put("by", d.getChangedBy());
      rows.add(row);
    }
    return rows;
  }

  /** Each group's last check: members, reference, object count, and per divergent object each member's hash. */
  List<Map<String, Object>> shards() {
    List<Map<String, Object>> groups = new ArrayList<>();
    for (ShardCheck check : shardChecks.values()) {
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("group", check.getGroup());
      group.put("reference", check.getReference());
      group.put("shards", check.getShards());
      group.put("objects", check.getObjects());
      group.put("consistent", check.getDivergent().isEmpty());
      group.put("repaired", check.getRepaired());
      group.put("checkedBy", check.getCheckedBy());
      group.put("checkedAt", check.getCheckedAt().toString());
      List<Map<String, Object>> divergent = new ArrayList<>();
      for (ShardObject o : check.getDivergent()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("object", o.getObject());
        row.put("referenceHash", o.getReferenceHash());
        row.put("undecided", o.getUndecided());
        row.put("hashes", o.getHashes());
        divergent.add(row);
      }
      group.put("divergent", divergent);
      groups.add(group);
    }
    return groups;
  }
}
