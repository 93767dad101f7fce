#!/usr/bin/env bash
# History benchmark: object look-up and history over the query API (p50, p99) with 10,000 objects of 10 versions
# each, and the time to rebuild that history after the processor's state directory is lost. Broker in process.
#   bench/history/run.sh            (OBJECTS=10000 VERSIONS=10 RUNS=3 SAMPLES=1000 by default)
# Writes bench/history/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" HistoryBenchmark -Dobjects="${OBJECTS:-10000}" -Dversions="${VERSIONS:-10}" -Druns="${RUNS:-3}" -Dsamples="${SAMPLES:-1000}" -- "$here/RESULTS.md"
