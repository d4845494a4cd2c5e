#!/usr/bin/env bash
# Upstream benchmark (not in CI): a backlog of queued outbox rows (real H2 store) drained to a private Mosquitto,
# beside bare Paho QoS 1 (100 in flight, memory persistence) in the same run; with the JVM flags the distribution
# ships (runtime/src/dist/conf/jvm.options); then end-to-end latency (deposit transaction -> QoS 1 subscriber) beside
# bare Paho publish -> subscriber, 1000 events at 50/s (-Dlatency.samples / -Dlatency.rate via JAVA_OPTS).
# Needs the mosquitto binary.
#   bundles/upstream-mqtt/bench/upstream-bench.sh [rows] [runs]        (defaults 100000 and 3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
root=$(cd "$module/../.." && pwd)
cp_file=$(mktemp)
# built in the reactor (never installed into the shared ~/.m2); the last module written is this one's class path
(cd "$root" && mvn -B -q -o package dependency:build-classpath -pl bundles/upstream-mqtt -am -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# a private copy of the classes: a reactor build elsewhere may clean target/ while the benchmark runs
cp -r "$module/target/classes" "$work/classes" && cp -r "$module/target/test-classes" "$work/test-classes"
# and of the jars: other modules' builds rewrite ~/.m2 snapshots under a running JVM
mkdir -p "$work/lib"
deps=""
IFS=: read -r -a jars < "$cp_file" || true
for i in "${!jars[@]}"; do cp "${jars[$i]}" "$work/lib/$i.jar"; deps="$deps:$work/lib/$i.jar"; done
cp="$work/test-classes:$work/classes$deps"
rm -f "$cp_file"
opts=$(sed -e 's/#.*//' "$root/runtime/src/dist/conf/jvm.options" 2>/dev/null | tr '\n' ' ' || true)
# shellcheck disable=SC2086
java $opts ${JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
  org.lockergate.upstream.mqtt.internal.UpstreamBenchmark "${1:-100000}" "${2:-3}" "$work/run"
