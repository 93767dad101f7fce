#!/usr/bin/env bash
# Shards benchmark: `gitversion shards check GROUP` of 32 databases of 2,000 objects each (two of them divergent).
# Everything embedded (broker in process, PostgreSQL from the embedded binaries).
#   bench/shards/run.sh            (SHARDS=32 OBJECTS=2000 RUNS=5 by default)
# Writes bench/shards/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" ShardsBenchmark -Dshards="${SHARDS:-32}" -Dobjects="${OBJECTS:-2000}" -Druns="${RUNS:-5}" -- "$here/RESULTS.md"
