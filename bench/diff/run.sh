#!/usr/bin/env bash
# Diff benchmark: generated databases of 1,000 and 10,000 tables and a changed copy of each (generate.py), then, on
# the same databases in one run: `gitversion inspect` (inspect + hash), `gitversion diff` (JVM start included),
# `gitversion hash` (the state hash), apgdiff (Debian package; it diffs two pg_dump files: timed on the files alone, and
# with the two pg_dumps a diff of two live databases takes) and migra (@pgkit/migra from npm). Each RUNS times (migra
# MIGRA_RUNS times: four and a half minutes a run at 10,000 tables); writes bench/RESULTS.md with median, min-max and
# peak memory.
#   bench/diff/run.sh                 (SIZES="1000 10000" RUNS=5 MIGRA_RUNS=RUNS by default)
# Needs: PostgreSQL 15 server binaries (Debian), python3, /usr/bin/time; installs apgdiff and @pgkit/migra if missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-5}"
MIGRA_RUNS="${MIGRA_RUNS:-$RUNS}"
PORT="${BENCH_PGPORT:-55499}"
work="${BENCH_WORK:-/tmp/gitversion-bench}"
pgbin="${PGBIN:-/usr/lib/postgresql/15/bin}"
mkdir -p "$work"

# --- peers ---------------------------------------------------------------------------------------------------------
if ! command -v apgdiff >/dev/null; then
  apt-get install -y -qq apgdiff >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq apgdiff >/dev/null; }
fi
if [ ! -x "$work/node/node_modules/.bin/migra" ] && [ ! -f "$work/node/node_modules/@pgkit/migra/dist/command.js" ]; then
  mkdir -p "$work/node" && (cd "$work/node" && npm init -y >/dev/null 2>&1 && npm install --silent @pgkit/migra@0.6.1 >/dev/null 2>&1)
fi
migra_cmd=(node "$work/node/node_modules/@pgkit/migra/dist/command.js")

# --- a throwaway PostgreSQL 15 server --------------------------------------------------------------------------------
data="$work/pgdata"
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  rm -rf "$data"; mkdir -p "$data"; [ "$(id -u)" = 0 ] && chown postgres "$data" && chmod 755 "$work"
  run_pg "$pgbin/initdb" -D "$data" -A trust -U postgres >/dev/null
  run_pg "$pgbin/pg_ctl" -D "$data" -l "$data/log" -o "-p $PORT -c fsync=off -c max_locks_per_transaction=4096 -c shared_buffers=512MB" -w start >/dev/null
  trap 'run_pg "$pgbin/pg_ctl" -D "$data" -m fast stop >/dev/null' EXIT
fi
psql_() { psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

"$root/gitversion" --version >/dev/null  # builds the jar once, outside the timings

# --- timing -----------------------------------------------------------------------------------------------------------
# time_it NAME SIZE CMD...: runs CMD $runs (RUNS) times, appends "name size wall_ms max_rss_kb" lines to $work/times.tsv
time_it() {
  local name="$1" size="$2"; shift 2
  for _ in $(seq "${runs:-$RUNS}"); do
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$work/rss" "$@" >"$work/out" 2>"$work/err" || { rc=$?; if [ "$name" != migra ] || [ $rc -ne 2 ]; then echo "$name failed ($rc): $(head -c 300 "$work/err")" >&2; return 1; fi; }
    end=$(date +%s%N)
    printf '%s\t%s\t%s\t%s\n' "$name" "$size" $(( (end - start) / 1000000 )) "$(tail -1 "$work/rss")" >> "$work/times.tsv"
  done
}

: > "$work/times.tsv"
for n in $SIZES; do
  python3 "$here/generate.py" "$n" "$work/a$n.sql" "$work/b$n.sql"
  for side in a b; do
    psql_ -d postgres -c "DROP DATABASE IF EXISTS bench_${side}_$n" -c "CREATE DATABASE bench_${side}_$n"
    psql_ -d "bench_${side}_$n" -f "$work/$side$n.sql" >/dev/null
    # as a database in use is: its catalogs vacuumed and analyzed (a fresh load is not, and autovacuum would then
    # run during the timings)
    psql_ -d "bench_${side}_$n" -c "VACUUM (ANALYZE)" -c "CHECKPOINT"
    # apgdiff cannot parse psql meta-commands (\restrict in current pg_dump): leave them out
    pg_dump -h 127.0.0.1 -p "$PORT" -U postgres --schema-only "bench_${side}_$n" | grep -v '^\\' > "$work/dump_${side}_$n.sql"
  done
  a="postgresql://postgres@127.0.0.1:$PORT/bench_a_$n"
  b="postgresql://postgres@127.0.0.1:$PORT/bench_b_$n"
  # a one-shot command's first run after a build makes its class-data archive (see the launcher): once, untimed
  "$root/gitversion" inspect "$a" >/dev/null 2>&1
  "$root/gitversion" hash "$a" >/dev/null 2>&1
  "$root/gitversion" diff --from "$a" --to "$b" >/dev/null 2>&1
  time_it "gitversion inspect" "$n" "$root/gitversion" inspect "$a"
  time_it "gitversion hash" "$n" "$root/gitversion" hash "$a"
  time_it "gitversion diff" "$n" "$root/gitversion" diff --from "$a" --to "$b"
  time_it "apgdiff (dump files only)" "$n" apgdiff "$work/dump_a_$n.sql" "$work/dump_b_$n.sql"
  # what it takes apgdiff to diff two live databases, as gitversion and migra do: both dumps (at once), then the diff
  time_it "apgdiff with its pg_dumps" "$n" bash -c 'pg_dump -h 127.0.0.1 -p "$1" -U postgres --schema-only "$2" > "$4/live_a.sql" &
    pg_dump -h 127.0.0.1 -p "$1" -U postgres --schema-only "$3" > "$4/live_b.sql" & wait
    grep -v "^\\\\" "$4/live_a.sql" > "$4/live_a2.sql"; grep -v "^\\\\" "$4/live_b.sql" > "$4/live_b2.sql"
    apgdiff "$4/live_a2.sql" "$4/live_b2.sql"' _ "$PORT" "bench_a_$n" "bench_b_$n" "$work"
  runs="$MIGRA_RUNS" time_it "migra" "$n" "${migra_cmd[@]}" "$a" "$b" --unsafe || echo "migra did not complete at $n tables" >&2
done

python3 "$here/report.py" "$work/times.tsv" > "$root/bench/RESULTS.md"
cat "$root/bench/RESULTS.md"
