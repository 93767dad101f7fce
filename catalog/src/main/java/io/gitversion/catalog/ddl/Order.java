package io.gitversion.catalog.ddl;

import io.gitversion.catalog.model.DbObject;
import io.gitversion.catalog.model.ObjectKind;
import io.gitversion.catalog.model.SchemaModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** In which order the steps visit the objects of one kind: by id, or by their dependencies on each other. */
enum Order {
  ANY, DEPENDENCIES_FIRST, DEPENDENTS_FIRST;

  /** Visits the objects of {@code kind} in {@code model} whose ids are among {@code ids}, in this order. */
  void forEach(SchemaModel model, Set<String> ids, ObjectKind kind, Consumer<DbObject> action) {
    // ofKind lists are in id order already
    List<DbObject> objects = model.ofKind(kind).stream().filter(o -> ids.contains(o.id())).toList();
    if (this != ANY) {
      objects = new ArrayList<>(topological(objects));
      if (this == DEPENDENTS_FIRST) {
        Collections.reverse(objects);
      }
    }
    objects.forEach(action);
  }

  private static List<DbObject> topological(List<DbObject> objects) {
    Map<String, DbObject> byId = new LinkedHashMap<>();
    objects.forEach(o -> byId.put(o.id(), o));
    List<DbObject> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> visiting = new HashSet<>();
    for (DbObject o : objects) {
      visit(o, byId, done, visiting, order);
    }
    return order;
  }

  private static void visit(DbObject o, Map<String, DbObject> byId, Set<String> done, Set<String> visiting, List<DbObject> order) {
    if (done.contains(o.id()) || !visiting.add(o.id())) {
      return;
    }
    for (String dep : o.deps()) {
      DbObject d = byId.get(dep);
      if (d != null) {
        visit(d, byId, done, visiting, order);
      }
    }
    done.add(o.id());
    order.add(o);
  }
}
