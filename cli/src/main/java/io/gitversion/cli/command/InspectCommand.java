package io.gitversion.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.SchemaHashes;
import io.gitversion.cli.Main;
import io.gitversion.cli.support.Inspections;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Print every tracked object of a database with its hash (or, with --json, its canonical definition too).")
public final class InspectCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "URL", description = "postgresql://user[:password]@host:port/database")
  String url;

  @Option(names = "--schema", paramLabel = "SCHEMA", description = "Only these schemas (repeatable).")
  List<String> schemas = List.of();

  @Option(names = "--json", description = "JSON: the state hash and, per object, id, kind, schema, name, hash and canonical definition.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SchemaHashes state = Inspections.hashes(url, new HashSet<>(schemas), json);
    PrintWriter out = Main.bufferedOut(spec);
    if (json) {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (ObjectHash o : state.objects()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", o.id());
        row.put("kind", o.kind().label());
        row.put("schema", o.schema());
        row.put("name", o.name());
        row.put("hash", o.hash());
        row.put("definition", o.canonical());
        objects.add(row);
      }
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("stateHash", state.stateHash());
      document.put("objects", objects);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
    } else {
      state.objects().forEach(o -> out.println(o.hash().substring(0, 16) + "  " + o.id()));
      out.println("state " + state.stateHash());
    }
    out.flush();
    return 0;
  }
}
