#!/usr/bin/env bash
# Capture benchmark: DDL statements per second with and without capture (ratio), and commit → Kafka latency
# (p50, p99) through the collector. Everything embedded (broker in process, PostgreSQL from the embedded binaries).
#   bench/capture/run.sh            (RUNS=5 STATEMENTS=1000 SAMPLES=500 by default)
# Writes bench/capture/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" CaptureBenchmark -Druns="${RUNS:-5}" -Dstatements="${STATEMENTS:-1000}" -Dsamples="${SAMPLES:-500}" -- "$here/RESULTS.md"
