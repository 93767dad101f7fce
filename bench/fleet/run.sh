#!/usr/bin/env bash
# Fleet benchmark: one commit fanned out to N remote databases (p50, p99 of commit → applied on all), and the heap of
# the syncer (its own JVM, -Xmx512m) keeping them, for N = 50 and N = 200. Everything embedded.
#   bench/fleet/run.sh           (RUNS=3 SAMPLES=20 WARMUP=3 FLEETS=50,200 by default)
# Writes bench/fleet/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" FleetBenchmark -Druns="${RUNS:-3}" -Dsamples="${SAMPLES:-20}" -Dwarmup="${WARMUP:-3}" -Dfleets="${FLEETS:-50,200}" \
  -Djar="$here/../../cli/target/gitversion.jar" -- "$here/RESULTS.md"
