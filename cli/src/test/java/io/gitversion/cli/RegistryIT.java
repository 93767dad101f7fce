package io.gitversion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gitversion.catalog.PgUrl;
import io.gitversion.contract.Topics;
import io.gitversion.embedded.testing.Await;
import io.gitversion.embedded.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry of remotes, live: a remote added to the running pipeline converges (by rebase) and follows, pauses and
 * resumes, and is let go when removed; its password is read from a file and is written to no topic.
 */
class RegistryIT {
  @RegisterExtension static final RunningPipeline pipeline = RunningPipeline.withRemotes(1);

  private static final Duration WAIT = Duration.ofSeconds(45);

  static Cli.Result remote(String... args) {
    return Cli.remote(pipeline.bootstrapServers(), args);
  }

  private static TestDatabase db(PgUrl url) {
    return TestDatabase.at(url.toUriWithPassword());
  }

  private static boolean has(PgUrl url, String table) {
    return !"null".equals(String.valueOf(db(url).value("SELECT to_regclass('public." + table + "')")));
  }

  @Test
  void aRemoteAddedLiveConvergesFollowsPausesAndIsLetGo() throws Exception {
    PgUrl r1 = pipeline.remotes().get("r1");
    db(pipeline.source()).exec("CREATE TABLE before_add (id int PRIMARY KEY)");
    Await.until("r1 has the first table", WAIT, () -> has(r1, "before_add"));
    db(r1).exec("CREATE DATABASE later", "CREATE ROLE later_syncer LOGIN SUPERUSER PASSWORD 'later-S3cret-42'");
    String password = "later-S3cret-42";
    PgUrl later = PgUrl.parse("postgresql://later_syncer:" + password + "@" + r1.host() + ":" + r1.port() + "/later");
    Path secret = Files.createTempFile("gitversion-later-", ".password");
    Files.writeString(secret, password + "\n");

    Cli.Result gated = remote("list");
    assertEquals(2, gated.code());
    assertEquals("gitversion: 'remote list' is part of the sync module, which is not enabled: gitversion modules enable sync\n", gated.out());
    new Cli(pipeline.dashboardUrl()).ok("modules", "enable", "sync");
    Cli.Result refused = remote("add", "leaky", "postgresql://u:s3cret-pass@127.0.0.1:1/db");
    assertEquals(2, refused.code());
    assertTrue(refused.out().contains("holds a password"), refused.out());

    Cli.Result added = remote("add", "later", later.withPassword(null).toString(), "--password-from", "file:" + secret);
    assertEquals(0, added.code(), added.out());
    Await.until("the remote added live has what was there before (rebase)", WAIT, () -> has(later, "before_add"));
    db(pipeline.source()).exec("CREATE TABLE after_add (id int PRIMARY KEY)");
    Await.until("and follows", WAIT, () -> has(later, "after_add"));

    Cli.Result listed = remote("list");
    assertTrue(listed.out().startsWith("later\t") && listed.out().contains("following"), listed.out());
    assertFalse(listed.out().contains(password), "no password listed");
    assertEquals(0, remote("test", "later").code());

    assertEquals(0, remote("pause", "later").code());
    Await.until("the syncer paused it", WAIT, () -> String.valueOf(pipeline.syncer().status().get("later")).equals("PAUSED"));
    db(pipeline.source()).exec("CREATE TABLE while_paused (id int PRIMARY KEY)");
    Await.until("r1 has the table", WAIT, () -> has(r1, "while_paused"));
    Thread.sleep(1_000);
    assertFalse(has(later, "while_paused"), "a paused remote applies nothing");
    Cli status = new Cli(pipeline.dashboardUrl());
    String[] shown = {""};
    try {
      Await.until("status shows the paused remote one commit behind, r1 following", WAIT, () -> {
        String out = shown[0] = status.ok("status").out();
        return out.matches("(?s).*\nlater\tpaused\t[0-9a-f]{12}\t1\t.*") && out.matches("(?s).*\nr1\tfollowing\t[0-9a-f]{12}\t0\t.*");
      });
    } catch (AssertionError e) {
      throw new AssertionError("gitversion status printed:\n" + shown[0], e);
    }
    Cli.Result resumed = remote("resume", "later");
    assertEquals(0, resumed.code(), resumed.out());
    Await.until("resumed, it catches up", WAIT, () -> has(later, "while_paused"));

    assertEquals(0, remote("remove", "later").code());
    Await.until("the syncer let it go", WAIT, () -> !pipeline.syncer().status().containsKey("later"));
    db(pipeline.source()).exec("CREATE TABLE after_remove (id int PRIMARY KEY)");
    Await.until("r1 has the table", WAIT, () -> has(r1, "after_remove"));
    assertFalse(has(later, "after_remove"), "a removed remote is no longer kept in step");

    for (String topic : Topics.names()) {
      assertFalse(read(topic).contains(password), "the password is on no topic: " + topic);
    }
  }

  @Test
  void applyDryRunLeavesNothingBehindAndARealApplyIsRecordedOnce() throws Exception {
    new Cli(pipeline.dashboardUrl()).ok("modules", "enable", "sync");
    PgUrl r1 = pipeline.remotes().get("r1");
    db(r1).exec("CREATE DATABASE applied");
    PgUrl target = r1.withDatabase("applied");
    db(pipeline.source()).exec("CREATE TABLE for_apply (id int PRIMARY KEY)");
    assertEquals(0, remote("add", "applied", target.toString(), "--strategy", "skip").code());
    Await.until("the remote joined", WAIT, () -> has(target, "for_apply"));
    db(target).exec("CREATE TABLE existing (id int PRIMARY KEY)");
    Path script = Files.createTempFile("gitversion-apply-", ".sql");
    Files.writeString(script, "-- a migration; by hand\nCREATE TABLE made (id int);\nALTER TABLE existing ADD COLUMN note text;\n");
    String before = stateHash(target);

    Cli.Result dry = apply("applied", "--file", script.toString(), "--dry-run");
    assertEquals(0, dry.code(), dry.out());
    assertTrue(dry.out().contains("lock: AccessExclusiveLock on existing") && dry.out().contains("dry run on applied: rolled back"), dry.out());
    assertEquals(before, stateHash(target), "a dry run leaves nothing behind");

    Cli.Result real = apply("applied", "--file", script.toString());
    assertEquals(0, real.code(), real.out());
    assertTrue(has(target, "made"), real.out());
    assertEquals("1", db(target).value("SELECT count(*) FROM gitversion_sync.applied WHERE source = 'apply'"));
    Cli.Result again = apply("applied", "--file", script.toString());
    assertTrue(again.out().contains("already applied to applied"), again.out());

    // the plan that brings the remote back to the source's state, applied: the remote equals the source by hash
    Cli cli = new Cli(pipeline.dashboardUrl());
    Cli.Result plan = cli.run("migrate", "--to-remote", "applied", "--kafka.bootstrap.servers=" + pipeline.bootstrapServers());
    assertEquals(0, plan.code(), plan.out() + plan.err());
    assertTrue(plan.out().contains("DROP TABLE \"public\".\"made\""), plan.out());
    Path planFile = Files.createTempFile("gitversion-plan-", ".sql");
    Files.writeString(planFile, plan.out());
    Cli.Result applied = apply("applied", "--file", planFile.toString());
    assertEquals(0, applied.code(), applied.out());
    Cli.Result compared = cli.run("compare", "source:app", target.toUriWithPassword());
    assertEquals(0, compared.code(), compared.out() + compared.err());
    Cli.Result byName = cli.run("compare", "source:app", "applied", "--kafka.bootstrap.servers=" + pipeline.bootstrapServers());
    assertEquals(0, byName.code(), byName.out() + byName.err());
    db(target).exec("CREATE TABLE by_hand_again (id int)");
    Cli.Result all = cli.run("compare", "source:app", "--all-remotes", "--kafka.bootstrap.servers=" + pipeline.bootstrapServers());
    assertEquals(3, all.code(), all.out() + all.err());
    assertTrue(all.out().contains("applied: 1 object(s) differ\n  extra\ttable public.by_hand_again"), all.out());

    // a plan, made now and verified by hash in the applying transaction
    String api = pipeline.dashboardUrl();
    String drifted = stateHash(target);
    Cli.Result dryPlan = apply("applied", "--plan", "--dry-run", "--api", api);
    assertEquals(0, dryPlan.code(), dryPlan.out());
    assertTrue(dryPlan.out().contains("DROP TABLE \"public\".\"by_hand_again\"") && dryPlan.out().contains("rolled back, nothing changed; verified: "),
        dryPlan.out());
    assertEquals(drifted, stateHash(target), "a dry run of a plan leaves nothing behind");
    Cli.Result realPlan = apply("applied", "--plan", "--api", api);
    assertEquals(0, realPlan.code(), realPlan.out());
    assertTrue(realPlan.out().contains("; verified: "), realPlan.out());
    assertEquals(0, cli.run("compare", "source:app", target.toUriWithPassword()).code(), "the plan made the remote equal to the source");
    assertTrue(apply("applied", "--plan", "--api", api).out().contains("nothing to apply: applied has that state already"));

    // between two tags, for a remote at the first: the source's migration between them, verified at both ends
    assertEquals(0, remote("pause", "applied").code());
    Await.until("paused", WAIT, () -> String.valueOf(pipeline.syncer().status().get("applied")).equals("PAUSED"));
    cli.ok("tag", "before-orders");
    db(pipeline.source()).exec("CREATE TABLE orders (id int PRIMARY KEY, total numeric)");
    Await.until("the commit is in the history", WAIT, () -> cli.run("version", "public.orders").code() == 0);
    cli.ok("tag", "with-orders");
    Cli.Result printed = cli.run("migrate", "--to-remote", "applied", "--from-tag", "before-orders", "--to-tag", "with-orders",
        "--kafka.bootstrap.servers=" + pipeline.bootstrapServers());
    assertEquals(0, printed.code(), printed.out() + printed.err());
    assertTrue(printed.out().contains("CREATE TABLE \"public\".\"orders\""), printed.out());
    Cli.Result betweenTags = apply("applied", "--plan", "--from-tag", "before-orders", "--to-tag", "with-orders", "--api", api);
    assertEquals(0, betweenTags.code(), betweenTags.out());
    assertTrue(has(target, "orders"), betweenTags.out());
    Cli.Result reapplied = apply("applied", "--plan", "--from-tag", "before-orders", "--to-tag", "with-orders", "--api", api);
    assertEquals(0, reapplied.code(), reapplied.out());
    assertTrue(reapplied.out().contains("the remote has the plan's result already"), reapplied.out());

    db(target).exec("CREATE TABLE only_on_remote (id int)", "ALTER TABLE orders ADD COLUMN remote_note text");
    Cli.Result notAtA = apply("applied", "--plan", "--from-tag", "before-orders", "--to-tag", "with-orders", "--api", api);
    assertEquals(3, notAtA.code(), "the remote is neither at the first tag nor at the second: " + notAtA.out());
    assertTrue(notAtA.out().contains("not applied to applied: conflict") && notAtA.out().contains("table public.orders: expected absent, is "),
        notAtA.out());

    // both ways: each side gets what only the other has; a pair that differs is a conflict until --prefer decides
    Cli.Result both = cli.run("migrate", "--bidirectional", "applied", "--kafka.bootstrap.servers=" + pipeline.bootstrapServers());
    assertEquals(3, both.code(), both.out() + both.err());
    assertTrue(both.out().contains("-- conflict: table public.orders differs") && both.out().contains("CREATE TABLE \"public\".\"only_on_remote\""),
        both.out());
    Cli.Result preferRemote = cli.run("migrate", "--bidirectional", "applied", "--prefer", "remote",
        "--kafka.bootstrap.servers=" + pipeline.bootstrapServers());
    assertEquals(0, preferRemote.code(), preferRemote.out() + preferRemote.err());
    assertTrue(preferRemote.out().contains("ADD COLUMN \"remote_note\""), preferRemote.out());
    assertEquals(0, remote("remove", "applied").code());
  }

  static Cli.Result apply(String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine cli = Main.commandLine("apply");
    cli.setOut(new java.io.PrintWriter(out));
    cli.setErr(new java.io.PrintWriter(out));
    String[] all = new String[args.length + 2];
    all[0] = "apply";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--kafka.bootstrap.servers=" + pipeline.bootstrapServers();
    return new Cli.Result(cli.execute(all), out.toString(), "");
  }

  private static String stateHash(PgUrl url) throws Exception {
    try (var c = db(url).connect()) {
      return new io.gitversion.catalog.inspect.Inspector(c).inspect(java.util.Set.of()).stateHash();
    }
  }

  /** Every record of a topic, keys and values, as text. */
  private static String read(String topic) {
    StringBuilder all = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = c.partitionsFor(topic).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        c.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.key() != null) {
            all.append(new String(r.key(), StandardCharsets.ISO_8859_1));
          }
          if (r.value() != null) {
            all.append(new String(r.value(), StandardCharsets.ISO_8859_1));
          }
        });
      }
    }
    return all.toString();
  }
}
