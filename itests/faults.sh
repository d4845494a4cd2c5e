#!/usr/bin/env bash
# The long fault run (CI runs FaultsIT and AbuseIT short, as part of `mvn -B verify`):
#   kill -9 of the gateway at random points of deposits, pickups and outbox draining for many rounds, with the MQTT
#   broker down for minutes across one crash; the data disk full through the store's storage hook; a cabinet
#   flapping online/offline for minutes; a slow cabinet. Every round ends with the invariants (FaultsIT).
#
#   itests/faults.sh [--rounds N] [--outage SECONDS] [--flap SECONDS] [--with-abuse]
#     defaults: 10 rounds, a 180-s broker outage, 120 s of flapping
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=10; outage=180; flap=120; tests=FaultsIT
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift ;;
    --outage) outage=$2; shift ;;
    --flap) flap=$2; shift ;;
    --with-abuse) tests=FaultsIT,AbuseIT ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# -am builds the distribution the tests run (never install: itests resolve the reactor's artifacts)
mvn -B -o verify -pl itests -am -Dit.test="$tests" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dfailsafe.failIfNoSpecifiedTests=false -Ditests.timeout=$(( rounds * (outage + 120) + flap + 600 )) \
    -Dlockergate.faults.rounds="$rounds" -Dlockergate.faults.outageSeconds="$outage" \
    -Dlockergate.faults.flapSeconds="$flap"
echo
grep -h '^\[FaultsIT\]' itests/target/failsafe-reports/*FaultsIT-output.txt 2>/dev/null || true
