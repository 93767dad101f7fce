#!/usr/bin/env bash
# Runs one of the benchmarks' Java programs (cli's test classes) with the project built:
#   bench/java.sh CLASS [JAVA_OPTION...] -- [ARGUMENT...]
# builds the jar when the sources changed (the launcher does), compiles the test classes, runs CLASS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
class="$1"; shift
options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do options+=("$1"); shift; done
[ $# -gt 0 ] && shift
"$root/gitversion" --version >/dev/null  # builds the jar
mvn -B -q -o -pl cli test-compile 2>/dev/null || mvn -B -q -pl cli test-compile
exec java "${options[@]}" -cp "$root/cli/target/gitversion.jar:$root/cli/target/test-classes" "io.gitversion.cli.$class" "$@"
