#!/usr/bin/env bash
# Fault harness: the three stages as processes of their own, a stream of DDL transactions per fault (a stage killed
# with SIGKILL, the broker restarted, the source's replication slot dropped and made again, a remote unreachable for
# 60 s, a remote timing every statement out for 30 s); reports committed, captured, commits on Kafka, applied per
# remote, applied twice, lost, time to converge, hashes equal.
#   bench/faults/run.sh            (TRANSACTIONS=2000 per fault by default)
#   FAULTS=slot OUT=/tmp/slot.md bench/faults/run.sh    (only the faults whose names contain FAULTS, reported in OUT)
# Writes bench/faults/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" FaultHarness -Dtransactions="${TRANSACTIONS:-2000}" -Dfaults="${FAULTS:-}" -Dgitversion.jar="$here/../../cli/target/gitversion.jar" \
  -- "${OUT:-$here/RESULTS.md}"
