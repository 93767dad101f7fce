package io.gitversion.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gitversion.catalog.ddl.Canonical;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.SchemaModel;
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
final class InspectCommand implements Callable<Integer> {
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
    SchemaModel model = Models.inspect(url, new HashSet<>(schemas));
    PrintWriter out = Main.bufferedOut(spec);
    if (json) {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (DbObject o : model.objects().values()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", o.id());
        row.put("kind", o.kind());
        row.put("schema", o.schema());
        row.put("name", o.name());
        row.put("hash", Canonical.hash(o));
        row.put("definition", Canonical.text(o));
        objects.add(row);
      }
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("stateHash", model.stateHash());
      document.put("objects", objects);
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
    } else {
      model.hashes().forEach((id, hash) -> out.println(hash.substring(0, 16) + "  " + id));
      out.println("state " + model.stateHash());
    }
    out.flush();
    return 0;
  }
}
