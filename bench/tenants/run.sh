#!/usr/bin/env bash
# Tenants benchmark: one template change rolled out to 1,000 tenant schemas, timed from the COMMIT at the source to the
# last tenant verified. Everything embedded (broker in process, PostgreSQL from the embedded binaries).
#   bench/tenants/run.sh            (TENANTS=1000 CHANGES=3 PARALLELISM=4 WAVE_SIZE=250 by default)
# Writes bench/tenants/RESULTS.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec "$here/../java.sh" TenantsBenchmark -Dtenants="${TENANTS:-1000}" -Dchanges="${CHANGES:-3}" -Dparallelism="${PARALLELISM:-4}" \
  -DwaveSize="${WAVE_SIZE:-250}" -- "$here/RESULTS.md"
