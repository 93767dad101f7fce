#!/usr/bin/env bash
# Compare benchmark: `gitversion compare A --all-remotes` of a 10,000-table database against 20 remotes of the
# registry (copies of it, one differing). Everything embedded (broker in process, PostgreSQL from the embedded binaries).
#   bench/compare/run.sh            (TABLES=10000 REMOTES=20 RUNS=3 by default)
# Writes bench/compare/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" CompareBenchmark -Dtables="${TABLES:-10000}" -Dremotes="${REMOTES:-20}" -Druns="${RUNS:-3}" -- "$here/RESULTS.md"
