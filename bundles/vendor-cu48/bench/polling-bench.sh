#!/usr/bin/env bash
# Issue 5 polling benchmark (not in CI): 20 cabinets x 4 CU48 boards x 48 channels polled every 500 ms by the real
# lock-board engine over the real Modbus transport (j2mod) against simulated serial-to-TCP servers on loopback; CPU
# share of one core, door change -> core event latency, unlock -> verified p50/p99, beside bare j2mod round trips/s
# in the same run. JVM flags of the distribution (runtime/src/dist/conf/jvm.options). Builds without installing.
#   bundles/vendor-cu48/bench/polling-bench.sh [cabinets] [seconds]        (defaults 20 and 30)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cp_file=$(mktemp)
# one reactor run: package (tests compiled, not run) and the test class path of vendor-cu48, written last
(cd "$root" && mvn -B -q -o package dependency:build-classpath -pl bundles/vendor-cu48 -am -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work" "$cp_file"' EXIT
# private copies: another build may clean target/ or rewrite jars under the running JVM
module="$root/bundles/vendor-cu48"
cp -r "$module/target/classes" "$work/classes" && cp -r "$module/target/test-classes" "$work/test-classes"
mkdir -p "$work/lib"
deps=""
IFS=: read -r -a jars < "$cp_file" || true
for i in "${!jars[@]}"; do
  if [ -d "${jars[$i]}" ]; then cp -r "${jars[$i]}" "$work/lib/$i"; else cp "${jars[$i]}" "$work/lib/$i.jar"; fi
  deps="$deps:$work/lib/$i$([ -d "${jars[$i]}" ] || echo .jar)"
done
opts=$(sed -e 's/#.*//' "$root/runtime/src/dist/conf/jvm.options" 2>/dev/null | tr '\n' ' ' || true)
echo "JVM options: $opts"
# shellcheck disable=SC2086
java $opts -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$work/test-classes:$work/classes$deps" \
  org.lockergate.vendor.cu48.internal.PollingBenchmark "${1:-20}" "${2:-30}"
