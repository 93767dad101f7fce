package io.gitversion.cli.support;

import io.gitversion.catalog.PgUrl;
import io.gitversion.catalog.UserError;
import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectHash;
import io.gitversion.catalog.model.SchemaMap;
import io.gitversion.schemas.RemoteSpec;
import io.gitversion.schemas.TenantTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Tenant templates and their tenants (the advanced module), as {@code gitversion tenants} and the source's SQL
 * ({@code gitversion.advanced_*}) make and read them: the one place a template or a tenant entry is made, and where a
 * tenant's drift (its schema changed by hand) is measured.
 */
public final class Tenants {
  private final Registry registry;

  public Tenants(Registry registry) {
    this.registry = registry;
  }

  /** Registers a template: schema {@code schema} of the source database at {@code sourceUrl} (its name: the URL's database). */
  public TenantTemplate template(String name, String sourceUrl, String passwordFrom, String schema, int waveSize, int parallelism, String by) {
    PgUrl url = PgUrl.parse(sourceUrl);
    if (url.password() != null) {
      throw new UserError("the URL holds a password, which would be written to a topic: leave it out and give --password-from env:VAR "
          + "or file:PATH (or a .pgpass entry for the syncer)");
    }
    String templateName = name == null ? schema : name;
    new io.gitversion.syncer.Remote(templateName, url); // the name's rules
    if (waveSize < 1 || parallelism < 1) {
      throw new UserError("--wave-size and --parallelism are at least 1");
    }
    TenantTemplate template = TenantTemplate.newBuilder().setName(templateName).setSource(url.database()).setSchema$(schema)
        .setUrl(url.toString()).setPasswordFrom(passwordFrom).setWaveSize(waveSize).setParallelism(parallelism)
        .setChangedBy(by).setChangedAt(Instant.now()).build();
    TenantTemplate before = registry.templates().get(templateName);
    if (before != null && (!before.getSource().equals(template.getSource()) || !before.getSchema$().equals(schema))) {
      throw new UserError("template " + templateName + " is " + before.getSource() + "." + before.getSchema$()
          + " already: remove it first (gitversion tenants remove-template), or give another --name");
    }
    Registry.test(asRemote(template)); // reachable, as the syncer will reach it
    requireCaptureSwitch(template);
    registry.writeTemplate(templateName, template);
    return template;
  }

  /**
   * Tenant schemas in the template's database are applied with capture off, which only members of role
   * {@code gitversion_syncer} may switch; otherwise every change of every tenant would be recorded as the source's own.
   * Refused, saying what to grant, when the syncer's role there is not one.
   */
  private static void requireCaptureSwitch(TenantTemplate template) {
    io.gitversion.syncer.Remote remote = io.gitversion.syncer.Remote.of(asRemote(template));
    try (java.sql.Connection c = io.gitversion.catalog.Database.connect(remote.url());
         java.sql.Statement st = c.createStatement();
         java.sql.ResultSet rs = st.executeQuery(io.gitversion.catalog.SqlResource.load("/io/gitversion/syncer/sql/captured_here.sql"))) {
      rs.next();
      if (rs.getBoolean(1)) {
        throw new UserError("the syncer connects to " + template.getSource() + " as " + rs.getString(2) + ", which is not a member of role "
            + "gitversion_syncer: what it applies to tenant schemas there would be recorded as " + template.getSource()
            + "'s own changes. Run there: GRANT gitversion_syncer TO " + rs.getString(2));
      }
    } catch (java.sql.SQLException e) {
      throw new UserError("cannot check the template's database " + template.getUrl() + ": " + e.getMessage());
    }
  }

  /** The template a tenant is added to: the one named, or the only one there is. */
  public TenantTemplate templateNamed(String name) {
    Map<String, TenantTemplate> templates = registry.templates();
    if (name == null) {
      if (templates.size() != 1) {
        throw new UserError(templates.isEmpty() ? "no tenant template yet: gitversion tenants template SOURCE_URL SCHEMA"
            : "there are several templates " + templates.keySet() + ": name one with --template");
      }
      return templates.values().iterator().next();
    }
    TenantTemplate template = templates.get(name);
    if (template == null) {
      throw new UserError("no tenant template " + name + " (gitversion tenants templates)");
    }
    return template;
  }

  /**
   * Adds a tenant: schema {@code schema} in the database at {@code databaseUrl} (null: the template's own database),
   * taking the template's schema under its own name. Refused: a name taken, the template's schema itself, a schema
   * another tenant has in the same database, a database that cannot be reached.
   */
  public RemoteSpec add(String name, String templateName, String schema, String databaseUrl, String passwordFrom, boolean canary, String by) {
    TenantTemplate template = templateNamed(templateName);
    PgUrl url = databaseUrl == null ? PgUrl.parse(template.getUrl()) : PgUrl.parse(databaseUrl);
    if (url.password() != null) {
      throw new UserError("the URL holds a password, which would be written to a topic: leave it out and give --password-from");
    }
    String password = databaseUrl == null ? template.getPasswordFrom() : passwordFrom;
    boolean sameDatabase = sameDatabase(url, PgUrl.parse(template.getUrl()));
    if (sameDatabase && schema.equals(template.getSchema$())) {
      throw new UserError("schema " + schema + " is the template itself: a tenant in the template's database needs a schema of its own");
    }
    Map<String, RemoteSpec> entries = registry.read();
    if (entries.containsKey(name)) {
      throw new UserError((entries.get(name).getTemplate() == null ? "remote " : "tenant ") + name + " is in the registry already");
    }
    for (RemoteSpec other : entries.values()) {
      if (other.getTemplate() != null && sameDatabase(PgUrl.parse(other.getUrl()), url) && schemaOf(other).equals(schema)) {
        throw new UserError("tenant " + other.getName() + " has schema " + schema + " in that database already");
      }
    }
    Map<String, String> map = schema.equals(template.getSchema$()) ? Map.of() : Map.of(template.getSchema$(), schema);
    RemoteSpec entry = RemoteSpec.newBuilder(Registry.entry(name, url.toString(), password, List.of(template.getSource()),
            List.of(template.getSchema$()), List.of(), List.of(), map, null, by))
        .setTemplate(template.getName()).setCanary(canary).build();
    Registry.test(entry);
    registry.write(name, entry);
    return entry;
  }

  /** A tenant's entry; a user error naming {@code tenants list} when there is none of that name. */
  public RemoteSpec tenant(String name) {
    RemoteSpec entry = registry.read().get(name);
    if (entry == null || entry.getTemplate() == null) {
      throw new UserError("no tenant " + name + " (gitversion tenants list)");
    }
    return entry;
  }

  /** Every tenant, by name (of one template, when named). */
  public Map<String, RemoteSpec> tenants(String templateName) {
    Map<String, RemoteSpec> tenants = new TreeMap<>();
    registry.read().forEach((name, spec) -> {
      if (spec.getTemplate() != null && (templateName == null || templateName.equals(spec.getTemplate()))) {
        tenants.put(name, spec);
      }
    });
    return tenants;
  }

  public Map<String, TenantTemplate> templates() {
    return registry.templates();
  }

  /** The tenant's schema in its database. */
  public static String schemaOf(RemoteSpec tenant) {
    return tenant.getMapSchemas().isEmpty() ? tenant.getSchemas().get(0) : tenant.getMapSchemas().values().iterator().next();
  }

  private static boolean sameDatabase(PgUrl a, PgUrl b) {
    return a.host().equals(b.host()) && a.port() == b.port() && a.database().equals(b.database());
  }

  /** The template's database as the syncer reaches it. */
  static RemoteSpec asRemote(TenantTemplate template) {
    return RemoteSpec.newBuilder().setName(template.getName()).setUrl(template.getUrl()).setPasswordFrom(template.getPasswordFrom())
        .setChangedBy(template.getChangedBy()).setChangedAt(template.getChangedAt()).build();
  }

  /**
   * Each tenant's drift, by name: the objects whose hashes in its schema are not the template's (read live, hashes
   * only, one read a database for all its tenants), as {@code differs|missing|extra<TAB>id} lines; an empty list for a
   * tenant equal to its template.
   */
  public Map<String, List<String>> drift(Map<String, RemoteSpec> tenants) {
    Map<String, List<String>> drift = new TreeMap<>();
    Map<String, List<DbObject>> templateObjects = new HashMap<>();
    Map<String, TenantTemplate> templates = registry.templates();
    Map<String, Set<String>> schemasByDatabase = new LinkedHashMap<>();
    Map<String, RemoteSpec> databaseOf = new HashMap<>();
    for (RemoteSpec t : tenants.values()) {
      schemasByDatabase.computeIfAbsent(t.getUrl(), u -> new TreeSet<>()).add(schemaOf(t));
      databaseOf.putIfAbsent(t.getUrl(), t);
    }
    Map<String, Map<String, Map<String, String>>> held = new HashMap<>(); // url -> schema -> id -> hash
    schemasByDatabase.forEach((url, schemas) -> {
      Map<String, Map<String, String>> bySchema = new HashMap<>();
      String withPassword = io.gitversion.syncer.Remote.of(databaseOf.get(url)).url().toUriWithPassword();
      for (ObjectHash o : Inspections.hashes(withPassword, schemas, false, 2).objects()) {
        bySchema.computeIfAbsent(o.schema(), s -> new TreeMap<>()).put(o.id(), o.hash());
      }
      held.put(url, bySchema);
    });
    for (RemoteSpec t : tenants.values()) {
      TenantTemplate template = templates.get(t.getTemplate());
      if (template == null) {
        drift.put(t.getName(), List.of("missing\ttemplate " + t.getTemplate()));
        continue;
      }
      List<DbObject> objects = templateObjects.computeIfAbsent(template.getName(), n -> List.copyOf(Inspections.inspectOneOfTwo(
          io.gitversion.syncer.Remote.of(asRemote(template)).url().toUriWithPassword(), Set.of(template.getSchema$())).objects().values()));
      SchemaMap map = SchemaMap.of(t.getMapSchemas());
      Map<String, String> want = new TreeMap<>();
      for (DbObject o : objects) {
        DbObject mapped = map.object(o);
        want.put(mapped.id(), mapped.hash());
      }
      Map<String, String> have = held.get(t.getUrl()).getOrDefault(schemaOf(t), Map.of());
      Set<String> ids = new TreeSet<>(want.keySet());
      ids.addAll(have.keySet());
      List<String> lines = new ArrayList<>();
      for (String id : ids) {
        String w = want.get(id);
        String h = have.get(id);
        if (!java.util.Objects.equals(w, h)) {
          lines.add((w == null ? "extra" : h == null ? "missing" : "differs") + "\t" + id);
        }
      }
      drift.put(t.getName(), lines);
    }
    return drift;
  }
}
