#!/usr/bin/env bash
# The MQTT fleet simulator (not in CI): N gateways' upstreams (the real upstream-mqtt drain and command dispatcher,
# each on its own H2 store) against one private Mosquitto (or a given broker), and a county-platform consumer.
#   devices/fleet/fleet.sh [gateways=36] [seconds=20] [deposits/s per gateway=2] [brokerUrl]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
(cd "$root" && mvn -B -q -o package -pl devices/fleet -am -DskipTests)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# private copies: other builds rewrite target/ and ~/.m2 snapshots under a running JVM
cp -r "$here/target/lib" "$work/lib" && cp "$here"/target/org.lockergate.devices.fleet-*.jar "$work/lib/"
opts=$(sed -e 's/#.*//' "$root/runtime/src/dist/conf/jvm.options" 2>/dev/null | tr '\n' ' ' || true)
# shellcheck disable=SC2086
java $opts -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$work/lib/*" \
  org.lockergate.devices.fleet.FleetSimulator "${1:-36}" "${2:-20}" "${3:-2}" "${4:-}" "$work/run"
