#!/usr/bin/env bash
# OPC UA benchmark (not in CI): 20 groups x 200 compartments, every State and DoorOpen subscribed at 100 ms, the
# server changing `per-tick` compartments every 100 ms for `seconds`; then single and batched reads. A bare Milo
# server with the same 8,000 variables runs first in the same run; each server in its own JVM with the flags the
# distribution ships (runtime/src/dist/conf/jvm.options), the client in this JVM.
#   bundles/opcua/bench/opcua-bench.sh [seconds] [per-tick]          (defaults 20 and 100 = 2,000 changes/s)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
root=$(cd "$module/../.." && pwd)
cp_file=$(mktemp)
# package (no install: ~/.m2 is shared); the last module of the reactor (opcua) writes the class path
(cd "$root" && mvn -B -q -o package dependency:build-classpath -pl bundles/opcua -am -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work" "$cp_file"' EXIT
# private copies: another build may clean target/ or rewrite jars while the benchmark runs
cp -r "$module/target/classes" "$work/classes" && cp -r "$module/target/test-classes" "$work/test-classes"
mkdir -p "$work/lib"
deps=""
IFS=: read -r -a jars < "$cp_file" || true
for i in "${!jars[@]}"; do cp "${jars[$i]}" "$work/lib/$i.jar"; deps="$deps:$work/lib/$i.jar"; done
cp="$work/test-classes:$work/classes$deps"
opts=$(sed -e 's/#.*//' "$root/runtime/src/dist/conf/jvm.options" 2>/dev/null | tr '\n' ' ' || true)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); server JVM flags: $opts"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
  org.lockergate.opcua.internal.OpcUaBenchmark "${1:-20}" "${2:-100}" "$opts"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
