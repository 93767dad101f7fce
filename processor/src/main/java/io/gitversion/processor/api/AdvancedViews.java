package io.gitversion.processor.api;

import io.gitversion.contract.TopicFollower;
import io.gitversion.contract.Topics;
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
 * /api/shards}, from {@code gitversion.shard-checks}). Follows its topics from their beginning; reads no database.
 */
final class AdvancedViews extends TopicFollower {
  private static final Logger log = LoggerFactory.getLogger(AdvancedViews.class);

  private final Map<String, ShardCheck> shardChecks = new ConcurrentSkipListMap<>();

  AdvancedViews(Map<String, Object> clientProperties) {
    super(clientProperties, "gitversion-processor-advanced");
  }

  AdvancedViews start() {
    startThread("gitversion-processor-advanced");
    return this;
  }

  void register(RoutesConfig app) {
    app.get("/api/shards", ctx -> ctx.json(shards()));
  }

  @Override
  protected void begin() {
    assignAll(true, Topics.SHARD_CHECKS.name());
  }

  @Override
  protected String does() {
    return "follows the advanced module's shard checks";
  }

  @Override
  protected void handle(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.value() == null) {
        shardChecks.remove(record.key());
      } else {
        shardChecks.put(record.key(), Topics.SHARD_CHECKS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
      }
    } catch (RuntimeException e) {
      log.debug("unreadable record on {}", record.topic(), e);
    }
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
