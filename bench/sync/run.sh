#!/usr/bin/env bash
# Sync benchmark: commit → applied and verified on two remotes (p50, p99), at a source of 10 and of 10,000 tables.
# Everything embedded (broker in process, PostgreSQL from the embedded binaries).
#   bench/sync/run.sh            (RUNS=3 SAMPLES=100 WARMUP=30 SIZES=10,10000 by default)
# Writes bench/sync/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" SyncBenchmark -Druns="${RUNS:-3}" -Dsamples="${SAMPLES:-100}" -Dwarmup="${WARMUP:-30}" -Dsizes="${SIZES:-10,10000}" -- "$here/RESULTS.md"
