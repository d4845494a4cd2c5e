#!/usr/bin/env bash
# The soak (not in CI): a county evening peak against the real distribution, then the invariants.
#   20 groups x 4 cabinets x 50 compartments (200 per group) of simulated CoAP cabinets; couriers depositing and
#   residents picking up on many lanes (doors opened, items put in and taken out, doors closed); every so often a
#   cabinet drops off the network for 5-10 s, runs on battery or reports tampering (outages and alarms mid-traffic).
#   Prints throughput, kiosk latency percentiles and the gateway's memory over time (progress lines), then stops the
#   gateway and checks on its database: no acknowledged deposit lost, no compartment double-booked, no outbox gap,
#   every compartment agreeing with its parcel (SoakCheck).
#
#   devices/loadgen/soak.sh [--minutes N] [--groups N] [--cabinets N] [--compartments N] [--lanes N]
#                           [--incidents SECONDS] [--progress SECONDS] [--no-build]
#     defaults: 5 minutes, 20 groups, 4 cabinets, 50 compartments, 40 lanes, an incident every 15 s, progress every 30 s
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

minutes=5; groups=20; cabinets=4; compartments=50; lanes=40; incidents=15; progress=30; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift ;;
    --groups) groups=$2; shift ;;
    --cabinets) cabinets=$2; shift ;;
    --compartments) compartments=$2; shift ;;
    --lanes) lanes=$2; shift ;;
    --incidents) incidents=$2; shift ;;
    --progress) progress=$2; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  echo "== build (mvn -o package -DskipTests: devices/loadgen and the distribution)"
  (cd "$root" && mvn -B -o -q package -DskipTests -pl devices/loadgen,runtime -am)
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/lockergate-soak.XXXXXX")
ack="$out/acknowledged.txt"
echo "== soak: $groups groups x $cabinets cabinets x $compartments compartments, $lanes lanes, $minutes min," \
     "an incident every ${incidents} s (output in $out)"
started=$(date +%s)
# bench.sh's own status is not the verdict (it may end on a SIGPIPE of its log excerpt): the check below is
set +e
"$here/bench.sh" --no-build --skip-store --skip-bare --keep --groups "$groups" --cabinets "$cabinets" \
    --compartments "$compartments" --windows "$lanes" --coap-warmup 10 --coap-seconds "$((minutes * 60))" \
    --load-args "--incidents $incidents --acknowledged $ack --progress $progress" 2>&1 | tee "$out/bench.out"
set -e
scratch=$(grep -o 'scratch folder kept: .*' "$out/bench.out" | tail -1 | sed 's/scratch folder kept: //')
[ -n "$scratch" ] && [ -d "$scratch/data/db" ] || { echo "no gateway data to check" >&2; exit 1; }
echo; echo "== invariants (gateway stopped; its database at $scratch/data/db)"
java -cp "$scratch/lib/*" org.lockergate.loadgen.SoakCheck --db "$scratch/data/db/lockergate" \
    --acknowledged "$ack" | tee "$out/check.out"
rss_peak=$(grep -o 'gateway RSS [0-9]* MB' "$out/bench.out" | awk '{print $3}' | sort -n | tail -1)
echo; echo "soak done in $(( $(date +%s) - started )) s; gateway RSS peak ${rss_peak:-?} MB; data kept in $scratch"
