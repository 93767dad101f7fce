package io.gitversion.catalog.inspect;

import io.gitversion.catalog.Sql;
import io.gitversion.catalog.SqlResource;
import io.gitversion.catalog.model.ObjectKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog SQL, rendered for the schema that holds it ({@code gitversion} in a source, {@code pg_temp} for an
 * inspecting session): {@code snapshot.sql}'s functions, and the per-kind queries of {@code objects/KIND.sql} in two
 * forms, every object (inspection) and the objects of a list of OIDs (the capture trigger). Both forms add the
 * canonical text and its tail, so there is one definition of what an object is and how it hashes.
 *
 * <p>Every kind's query returns the same columns ({@link #COLUMNS}): kind, schema, name, identity (unique within kind
 * and schema), tbl (owning table, or null), ddl (the statement that creates the object, as PostgreSQL itself deparses
 * it; for tables the canonical CREATE TABLE), deps (ids of objects this one must follow), comment, extra (kind-specific
 * facts, jsonb), oid (the object's OID, its identity across renames), snapshot (tables: their columns as json, else
 * null). In the capture form a marker {@code /*@oids EXPR*&#47;} becomes {@code AND EXPR = ANY (oids)} and
 * {@code @RELS@} (the tables whose snapshots are taken) becomes {@code oids}, a plain parameter, so that
 * relation_snapshots() is inlined into the plan; {@code @SCHEMA@} is where snapshot.sql is. Extension members are
 * never listed (the extension is). Comments are read from pg_description directly: obj_description() is a SQL
 * function call per row, ten times slower.
 */
public final class SnapshotSql {
  private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Pattern OIDS_MARKER = Pattern.compile("/\\*@oids ([a-z_.]+)\\*/");
  private static final String EVERY_TABLE = "ARRAY(SELECT oid FROM pg_catalog.pg_class WHERE relkind IN ('r', 'p'))";
  /**
   * Where the inspection form takes the tables whose snapshots it renders: a parameter, the OIDs of every table as
   * {@link #TABLE_OIDS} lists them. Not {@link #EVERY_TABLE}: PostgreSQL does not inline a function whose argument is
   * a sub-select, and relation_snapshots() inlined is planned with its caller, which leaves out the columns the caller
   * does not read (a hash-only inspection of 10,000 tables: the table query in 0.64 s rather than 1.05 s).
   */
  static final String TABLES_PARAMETER = "?::pg_catalog.oid[]";
  /** The OIDs of every table, as an array literal, for {@link #TABLES_PARAMETER}. */
  static final String TABLE_OIDS = "SELECT pg_catalog.array_agg(oid)::text FROM pg_catalog.pg_class WHERE relkind IN ('r', 'p')";
  /** The columns every query of objects/KIND.sql returns, in order. */
  static final String COLUMNS = "kind, schema, name, identity, tbl, ddl, deps, comment, extra, oid, snapshot";
  private static final Map<String, String> QUERIES = queries();

  private SnapshotSql() {}

  /**
   * The script creating the snapshot functions in {@code schema}, and {@code object_rows(kind, oids)} (the capture
   * form of every kind's query) and {@code live_objects()} (every tracked object now), both as jsonb rows, and
   * {@code hashes_of(...)} (objects' hashes by id: identify.sql).
   */
  public static String forSchema(String schema) {
    String functions = SqlResource.load("/io/gitversion/catalog/snapshot.sql");
    StringBuilder byOids = new StringBuilder();
    StringBuilder all = new StringBuilder();
    for (Map.Entry<String, String> query : QUERIES.entrySet()) {
      byOids.append("    WHEN '").append(query.getKey()).append("' THEN RETURN QUERY SELECT pg_catalog.to_jsonb(r) FROM (")
          .append(withHash(withCanonical(query.getKey(), filtered(query.getValue(), "oids", "oids")))).append(") r;\n");
      all.append(all.length() == 0 ? "" : "  UNION ALL\n").append("  SELECT pg_catalog.to_jsonb(r) FROM (")
          .append(withCanonical(query.getKey(), filtered(query.getValue(), null, EVERY_TABLE))).append(") r\n");
    }
    String captureForm = """

        -- The objects of one kind among the given OIDs, with canonical text and hash, as the capture trigger records them
        -- (rendered from objects/KIND.sql).
        -- Generic plans, as planning these queries costs more than running them for a handful of OIDs; and nested loops
        -- over the catalogs' indexes, which a generic plan (that cannot see how few OIDs come) would not pick.
        CREATE OR REPLACE FUNCTION @SCHEMA@.object_rows(kind text, oids oid[]) RETURNS SETOF jsonb
        LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET plan_cache_mode = force_generic_plan
          SET enable_hashjoin = off SET enable_mergejoin = off AS $fn$
        BEGIN
          CASE kind
        %s    ELSE RETURN;
          END CASE;
        END
        $fn$;

        -- Every tracked object of the database now, as jsonb rows (rendered from objects/KIND.sql).
        CREATE OR REPLACE FUNCTION @SCHEMA@.live_objects() RETURNS SETOF jsonb
        LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp @RENDERING@ AS $fn$
        %s$fn$;
        """.formatted(byOids, all);
    return render(functions + captureForm + "\n" + SqlResource.load("/io/gitversion/catalog/identify.sql"), schema);
  }

  /**
   * The inspection form of every kind's query (every object, with its canonical text and its hash), by kind. The hash
   * is text_hash(), as in the capture form: the server's SHA-256 costs a tenth of the JVM's for the same texts.
   */
  static Map<String, String> inspectionQueries(String schema) {
    Map<String, String> rendered = new LinkedHashMap<>();
    QUERIES.forEach((kind, query) -> rendered.put(kind,
        render(withHash(withCanonical(kind, filtered(query, null, TABLES_PARAMETER))), schema)));
    return rendered;
  }

  /**
   * The hashes alone of every kind's objects, by kind: kind, schema, name, identity and hash, and the canonical text
   * when asked for. The server still renders each object to hash it, but leaves out what only the planner needs
   * (dependencies, facts, a table's columns as json) and sends a tenth of the bytes.
   */
  static Map<String, String> hashQueries(String schema, boolean withTexts) {
    Map<String, String> rendered = new LinkedHashMap<>();
    inspectionQueries(schema).forEach((kind, query) -> rendered.put(kind,
        "SELECT o.kind, o.schema, o.name, o.identity, o.hash" + (withTexts ? ", o.canonical" : "") + " FROM (" + query + ") o"));
    return rendered;
  }

  /** The kinds objects/ has a query for, in their order. */
  public static java.util.Set<String> kinds() {
    return QUERIES.keySet();
  }

  private static String render(String sql, String schema) {
    if (!SCHEMA_NAME.matcher(schema).matches()) {
      throw new IllegalArgumentException("snapshot functions need a plain schema name, got " + schema);
    }
    return io.gitversion.catalog.Rendering.into(sql.replace("@SCHEMA@", schema));
  }

  /**
   * Adds the canonical text and its tail (what changes without re-creating the object). OFFSET 0 keeps the query a
   * subquery, so that canonical() is inlined over its columns rather than its expressions. The kind is given as a
   * literal (every row of a kind's query has it), so that the planner folds away the other kinds' branches of the
   * inlined functions: the capture trigger's calls spent more time building the evaluation of those expressions (at
   * each executor start) than running the query.
   */
  private static String withCanonical(String kind, String query) {
    String literal = Sql.literal(kind);
    return "SELECT q.*, @SCHEMA@.canonical(" + literal + ", q.ddl, q.comment, q.extra) AS canonical,"
        + " @SCHEMA@.canonical_tail(" + literal + ", q.comment, q.extra) AS tail\n  FROM (" + query + "\n OFFSET 0) AS q(" + COLUMNS + ")";
  }

  private static String withHash(String query) {
    return "SELECT h.*, @SCHEMA@.text_hash(h.canonical) AS hash FROM (" + query + ") h";
  }

  /**
   * With a parameter name, each marker filters on the OIDs in it; without, markers go. {@code tables}: the tables whose
   * snapshots are taken.
   */
  private static String filtered(String query, String parameter, String tables) {
    Matcher m = OIDS_MARKER.matcher(query.replace("@RELS@", tables));
    return m.replaceAll(r -> parameter == null ? "" : "AND " + r.group(1) + " = ANY (" + parameter + ")");
  }

  /** Each kind's query, in {@link ObjectKind}'s order, from {@code objects/KIND.sql}. */
  private static Map<String, String> queries() {
    Map<String, String> queries = new LinkedHashMap<>();
    for (ObjectKind kind : ObjectKind.values()) {
      queries.put(kind.label(), query(SqlResource.load("/io/gitversion/catalog/objects/" + kind.label() + ".sql")));
    }
    return queries;
  }

  /** A query file's query: without its comment lines and final semicolon. */
  static String query(String file) {
    StringBuilder body = new StringBuilder();
    for (String line : file.split("\n")) {
      if (!line.startsWith("--")) {
        body.append(line).append('\n');
      }
    }
    return body.toString().strip().replaceAll(";$", "");
  }
}
