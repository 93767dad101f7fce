#!/usr/bin/env python3
"""Generates a realistic schema of N tables (a.sql) and a changed copy (b.sql) for the diff benchmark.

Five schemas; per table a bigserial key, 6 to 10 columns of many types (enum and domain columns included), defaults,
NOT NULLs, a check, an index, often a foreign key; views over tables and views over views, materialized views with an
index, functions, and triggers. The copy changes about 5% of the objects: added, retyped and dropped columns, new
and dropped indexes, new tables, changed views and function bodies, a new enum value.
Deterministic for a given N (seeded)."""
import random
import sys

TYPES = ["integer", "bigint", "smallint", "text", "varchar(80)", "numeric(12,2)", "boolean", "timestamptz", "date",
         "jsonb", "uuid", "double precision", "inet", "bytea", "interval"]
DEFAULTS = {"integer": "0", "bigint": "0", "smallint": "1", "text": "''", "boolean": "false", "timestamptz": "now()",
            "date": "CURRENT_DATE", "jsonb": "'{}'::jsonb", "numeric(12,2)": "0"}


def schema(n, changed):
    rnd = random.Random(n)        # structure: the same in both copies
    chg = random.Random(n + 1)    # changes: drawn in both copies, applied only to the changed one

    def change(p):
        return (chg.random() < p) and changed

    out = []
    schemas = [f"s{i}" for i in range(5)]
    for s in schemas:
        out.append(f"CREATE SCHEMA {s};")
        labels = "'new', 'active', 'closed'" + (", 'archived'" if changed and s == "s0" else "")
        out.append(f"CREATE TYPE {s}.status AS ENUM ({labels});")
        out.append(f"CREATE DOMAIN {s}.email AS text CHECK (VALUE ~ '@');")
        out.append(f"CREATE FUNCTION {s}.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;")
    views = []
    for t in range(n):
        s = schemas[t % len(schemas)]
        name = f"{s}.t{t}"
        cols = ["id bigserial PRIMARY KEY", "updated_at timestamptz DEFAULT now()"]
        ncols = 4 + rnd.randrange(5)
        for c in range(ncols):
            ty = rnd.choice(TYPES)
            not_null, with_default = rnd.random() < 0.4, rnd.random() < 0.5  # drawn whatever the type
            if change(0.01):
                ty = "text"  # retyped column
            d = DEFAULTS.get(ty)
            cols.append(f"c{c} {ty}" + (f" DEFAULT {d}" if d and with_default else "") + (" NOT NULL" if d and not_null else ""))
        cols.append(f"state {s}.status DEFAULT 'new'")
        if t % 3 == 0:
            cols.append(f"contact {s}.email")
        if t % 4 == 1 and t >= 5:
            parent = t - 5
            cols.append(f"parent_id bigint REFERENCES {schemas[parent % len(schemas)]}.t{parent} (id)")
        if change(0.02):
            cols.append("added_later text")
        if change(0.01):
            cols.pop(2 + ncols - 1)  # a dropped column (the last data column; views use only c0)
        cols.append("CHECK (id > 0)")
        out.append(f"CREATE TABLE {name} (\n    " + ",\n    ".join(cols) + "\n);")
        if not change(0.01):
            out.append(f"CREATE INDEX t{t}_c0_idx ON {name} (c0);")
        if change(0.01):
            out.append(f"CREATE INDEX t{t}_state_idx ON {name} (state) WHERE state <> 'closed';")
        if t % 20 == 0:
            out.append(f"CREATE TRIGGER t{t}_touch BEFORE UPDATE ON {name} FOR EACH ROW EXECUTE FUNCTION {s}.touch();")
            body = "count(*) + 0" if change(0.05) else "count(*)"
            out.append(f"CREATE FUNCTION {s}.count_t{t}() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT {body} FROM {name} $$;")
        if t % 10 == 0:
            v = f"{s}.v{t}"
            extra = ", c1" if change(0.05) else ""
            out.append(f"CREATE VIEW {v} AS SELECT id, c0{extra}, state FROM {name} WHERE state <> 'closed';")
            views.append(v)
            if len(views) % 5 == 0:
                out.append(f"CREATE VIEW {s}.vv{t} AS SELECT id, state FROM {v};")
        if t % 100 == 0:
            out.append(f"CREATE MATERIALIZED VIEW {s}.mv{t} AS SELECT state, count(*) AS n FROM {name} GROUP BY state;")
            out.append(f"CREATE UNIQUE INDEX mv{t}_state ON {s}.mv{t} (state);")
    if changed:
        for t in range(n, n + max(1, n // 100)):
            out.append(f"CREATE TABLE s1.new_t{t} (id bigserial PRIMARY KEY, payload jsonb NOT NULL DEFAULT '{{}}'::jsonb);")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    n = int(sys.argv[1])
    with open(sys.argv[2], "w") as f:
        f.write(schema(n, False))
    with open(sys.argv[3], "w") as f:
        f.write(schema(n, True))
