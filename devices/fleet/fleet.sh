#!/usr/bin/env bash
# The MQTT fleet simulator (not in CI): N gateways' upstreams (the real upstream-mqtt drain and command dispatcher,
# each on its own H2 store) against one private Mosquitto (or a given broker), and a county-platform consumer.
#   devices/fleet/fleet.sh [gateways=36] [seconds=20] [deposits/s per gateway=2] [brokerUrl]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
(cd "$root" && mvn -B -q -o package -pl devices/fleet -am -DskipTests)
work=$(mktemp -d)
# a broker the simulator started is stopped even when its JVM dies (e.g. out of memory)
cleanup() {
  for pid in $(pgrep -f "$work/run/broker/mosquitto.conf" || true); do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# private copies: other builds rewrite target/ and ~/.m2 snapshots under a running JVM
cp -r "$here/target/lib" "$work/lib" && cp "$here"/target/org.lockergate.devices.fleet-*.jar "$work/lib/"
# one JVM holds N gateways (each with its own H2 store and Paho client): the gateway's 192 MB heap is per gateway,
# so the simulator gets FLEET_HEAP (default 64 MB + 8 MB per gateway)
heap=${FLEET_HEAP:-$(( 64 + 8 * ${1:-36} ))m}
java -Xmx"$heap" -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$work/lib/*" \
  org.lockergate.devices.fleet.FleetSimulator "${1:-36}" "${2:-20}" "${3:-2}" "${4:-}" "$work/run"
