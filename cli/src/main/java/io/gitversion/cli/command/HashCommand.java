package io.gitversion.cli.command;

import io.gitversion.catalog.UserError;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.SchemaHashes;
import io.gitversion.cli.support.Inspections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "hash", mixinStandardHelpOptions = true,
    description = {"Print the SHA-256 of a database's schema state, or of one object: by id ('table public.t'),",
        "schema.name, or a name that is unique."})
public final class HashCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "URL")
  String url;

  @Parameters(index = "1", arity = "0..1", paramLabel = "OBJECT")
  String object;

  @Override
  public Integer call() {
    SchemaHashes state = Inspections.hashes(url, Set.of(), false);
    if (object == null) {
      spec.commandLine().getOut().println(state.stateHash());
      return 0;
    }
    List<ObjectHash> matches = state.objects().stream()
        .filter(o -> o.id().equals(object) || (o.schema() + "." + o.identity()).equals(object) || o.identity().equals(object)
            || o.name().equals(object))
        .toList();
    if (matches.isEmpty()) {
      throw new UserError("no object '" + object + "' in " + io.gitversion.catalog.PgUrl.parse(url));
    }
    if (matches.size() > 1) {
      throw new UserError("'" + object + "' is ambiguous: " + matches.stream().map(ObjectHash::id).toList());
    }
    spec.commandLine().getOut().println(matches.get(0).hash() + "  " + matches.get(0).id());
    return 0;
  }
}
