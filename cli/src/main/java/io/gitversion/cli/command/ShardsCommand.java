package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.Registry;
import io.gitversion.cli.support.Shards;
import io.gitversion.contract.Topics;
import io.gitversion.schemas.RemoteSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gitversion shards ...}: the consistency of a shard group (the advanced module). A group is the remotes of the
 * registry added with {@code --group NAME}, or any remotes and database URLs named on the command line.
 */
@Command(name = "shards", mixinStandardHelpOptions = true,
    description = {"Shard groups and their consistency (the advanced module):",
        "  check GROUP|MEMBER...   every member's hashes read at once: the divergent objects (object x shard), and",
        "                          per divergent member a repair plan towards the reference; --repair applies them",
        "  groups                  the shard groups of the registry (remote add NAME URL --group G)",
        "Exit 0 when every member is equal, 2 when refused, 3 when a member differs (after --repair: still differs)."})
public final class ShardsCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @picocli.CommandLine.Mixin
  io.gitversion.cli.support.ModuleOptions options;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name an action: check or groups");
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Compare the members of a shard group by hash, all at once: the matrix of the objects that are not",
          "the same on every member, the divergent members, and each one's repair plan towards the reference."})
  int check(@Parameters(arity = "1..*", paramLabel = "GROUP|MEMBER",
                description = "A shard group of the registry, or two or more remotes of the registry and database URLs.") List<String> names,
            @Option(names = "--reference", paramLabel = "majority|source[:DB]|MEMBER", defaultValue = Shards.MAJORITY,
                description = "What each object is judged by: the hash more than half the members have, the source's captured state, or a member. "
                    + "Default: ${DEFAULT-VALUE}.") String reference,
            @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only these schemas (repeatable). Default: all.") List<String> schemas,
            @Option(names = "--repair", description = "Apply each divergent member's plan (one transaction each, verified by hash), then check again.")
            boolean repair,
            @Option(names = "--json", description = "As JSON: the check's rows (object, shard, hash, reference_hash, status), plans, repairs.")
            boolean json) throws Exception {
    Shards.Run run = new Shards(options.advanced("shards check"), options.client()).run(names, schemas == null ? java.util.Set.of() : new HashSet<>(schemas), reference,
        repair, System.getProperty("user.name", "cli"));
    Shards.Check check = run.before();
    Shards.Check after = run.after();
    PrintWriter out = Main.bufferedOut(spec);
    if (json) {
      Map<String, Object> body = run.json();
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
    } else {
      print(out, check);
      for (Shards.Repair r : run.repairs()) {
        out.println();
        out.println("-- repair of " + r.member().name() + " towards the " + check.reference() + ": " + r.plan().steps().size() + " step(s)");
        MigrateCommand.print(out, r.plan());
        if (run.outcomes().containsKey(r.member().name())) {
          out.println("-- " + run.outcomes().get(r.member().name()));
        }
      }
      if (repair) {
        out.println();
        out.println(after.consistent() ? "after the repair: all " + after.members().size() + " members are equal (" + after.objects() + " objects, by hash)"
            : "after the repair: " + after.divergent().size() + " object(s) still differ");
      }
    }
    out.flush();
    return run.exitCode();
  }

  /** The matrix: a column per member, a row per object that is not the same on every member. */
  private static void print(PrintWriter out, Shards.Check check) {
    List<String> names = check.names();
    int width = Math.max(8, names.stream().mapToInt(String::length).max().orElse(8)) + 2;
    int objectWidth = Math.max(30, check.divergent().stream().mapToInt(r -> r.object().length()).max().orElse(30)) + 2;
    out.println("shard group " + check.group() + ": " + names.size() + " members, " + check.objects() + " objects, reference: " + check.reference());
    if (!check.divergent().isEmpty()) {
      StringBuilder header = new StringBuilder(pad("object", objectWidth));
      names.forEach(n -> header.append(pad(n, width)));
      out.println(header.toString().stripTrailing());
      for (Shards.Row r : check.divergent()) {
        StringBuilder line = new StringBuilder(pad(r.object(), objectWidth));
        for (int i = 0; i < names.size(); i++) {
          String hash = r.hashes().get(i);
          line.append(pad((hash == null ? "-" : hash.substring(0, 8)) + (r.differsAt(i) ? "*" : ""), width));
        }
        out.println(line.toString().stripTrailing() + (r.undecided() ? "   (no majority: not repaired)" : ""));
      }
      out.println("* differs from the reference; - absent");
    }
    int equal = check.objects() - check.divergent().size();
    out.println(equal + " object(s) equal on every member");
    Map<String, Integer> divergent = check.divergentMembers();
    out.println(divergent.isEmpty() ? (check.consistent() ? "consistent: every member is equal" : "no member can be repaired: no majority")
        : "divergent: " + String.join(", ", divergent.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + " object(s))").toList()));
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }

  @Command(name = "groups", mixinStandardHelpOptions = true, description = "The shard groups of the registry and their members.")
  int groups() {
    Registry registry = options.advanced("shards groups");
    Map<String, List<String>> groups = new TreeMap<>();
    for (RemoteSpec entry : registry.read().values()) {
      if (entry.getGroup() != null) {
        groups.computeIfAbsent(entry.getGroup(), g -> new ArrayList<>()).add(entry.getName());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    groups.forEach((g, members) -> out.println(g + "\t" + String.join(",", members)));
    out.flush();
    return 0;
  }
}
