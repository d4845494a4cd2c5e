#!/usr/bin/env bash
# The locker benchmark (not in CI). In one run, each figure beside its bare-library baseline measured in the same run:
#   1. store path: deposit-like durable transactions/s and p50/p99 through the real H2Store (group commit) at
#      1/4/16/64 writers, beside bare H2 with CHECKPOINT SYNC after every commit and with no sync (own JVM);
#   2. end to end over CoAP: the real distribution (bin/lockergate, shipped JVM flags, core configuration of
#      conf/demo, not --demo) in a scratch copy, simulated cabinets and kiosks in a load JVM; deposits + pickups
#      acknowledged/s, cycles/s, kiosk request -> answer p50/p99; beside a bare Californium server (own JVM, shipped
#      flags) driven by the same client setup (threads, endpoints).
# Loopback only. Prints a table, the CPU of the gateway / load JVM / other processes and the load average: this is
# a shared machine, read the figures with the "other processes" column in mind.
#
#   devices/loadgen/bench.sh [options]
#     --no-build            use what is built (devices/loadgen/target, runtime/target/lockergate)
#     --quick               shorter phases (a smoke test, not figures)
#     --store-seconds N     per store configuration (default 2, after 1 s of warm-up)
#     --coap-warmup N       end-to-end warm-up (default 10)       --coap-seconds N   each end-to-end window (15)
#     --bare-seconds N      each bare Californium window (default 6, after 3 s of warm-up)
#     --windows A,B         concurrent deposit/pickup lanes of each measuring window (default 8,64: latency at a
#                           moderate load, then throughput at saturation); the bare client uses the same counts
#     --groups N            cabinet groups (default 2: g1, g2; more are written from g1's file)
#     --cabinets N          cabinets per group (default 10)    --compartments N   per cabinet (default 48)
#     --features LIST       lockergate.features of the scratch copy (default: as shipped in conf/lockergate.properties),
#                           e.g. to measure what a feature costs: --features framework,web,locker,coap,vendor-coap
#     --skip-store | --skip-coap | --skip-bare
#     --jfr                 record the gateway with Java Flight Recorder during the last window and print where its
#                           CPU and its threads' waits went (writer lock, fsync, GC); implies --keep
#     --keep                keep the scratch folder (gateway copy, data, logs, outputs)
#     --load-args "..."     more options for LockerLoad (soak.sh: --incidents, --acknowledged, --progress)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

build=1; keep=0; jfr=0
store_seconds=2; coap_warmup=10; coap_seconds=15; bare_warmup=3; bare_seconds=6
windows=8,64; groups=2; cabinets=10; compartments=48; features=""; load_args=""
do_store=1; do_coap=1; do_bare=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --quick) store_seconds=1; coap_warmup=5; coap_seconds=8; bare_warmup=2; bare_seconds=4 ;;
    --store-seconds) store_seconds=$2; shift ;;
    --coap-warmup) coap_warmup=$2; shift ;;
    --coap-seconds) coap_seconds=$2; shift ;;
    --bare-seconds) bare_seconds=$2; shift ;;
    --windows) windows=$2; shift ;;
    --features) features=$2; shift ;;
    --groups) groups=$2; shift ;;
    --cabinets) cabinets=$2; shift ;;
    --compartments) compartments=$2; shift ;;
    --skip-store) do_store=0 ;;
    --skip-coap) do_coap=0 ;;
    --skip-bare) do_bare=0 ;;
    --jfr) jfr=1; keep=1 ;;
    --keep) keep=1 ;;
    --load-args) load_args=$2; shift ;;
    -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

lanes=$(echo "$windows" | tr ',' '\n' | sort -n | tail -1)
started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------------- build
if [ "$build" = 1 ]; then
  echo "== build (mvn -o install -DskipTests: devices/loadgen and the distribution, with what they need)"
  if ! (cd "$root" && mvn -B -o -q install -DskipTests -pl devices/loadgen,runtime -am); then
    echo "!! the reactor build failed (another module in progress?); building devices/loadgen alone and using the" \
         "distribution already in runtime/target/lockergate" >&2
    (cd "$root" && mvn -B -o -q install -DskipTests -f devices/loadgen/pom.xml)
  fi
fi
dist="$root/runtime/target/lockergate"
[ -x "$dist/bin/lockergate" ] || { echo "no distribution in $dist: build first" >&2; exit 2; }
jar=$(ls "$here"/target/org.lockergate.devices.loadgen-*.jar 2>/dev/null | head -1)
[ -n "$jar" ] && [ -d "$here/target/lib" ] || { echo "devices/loadgen is not built: run without --no-build" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------------- scratch
work=$(mktemp -d "${TMPDIR:-/tmp}/lockergate-bench.XXXXXX")
gw_pid=""; bare_pid=""
cleanup() {
  [ -n "$gw_pid" ] && kill "$gw_pid" 2>/dev/null && wait "$gw_pid" 2>/dev/null || true
  [ -n "$bare_pid" ] && kill "$bare_pid" 2>/dev/null && wait "$bare_pid" 2>/dev/null || true
  if [ "$keep" = 1 ]; then echo "scratch folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# private copies: a reactor build elsewhere may rewrite target/ or ~/.m2 while the benchmark runs
mkdir -p "$work/lib" && cp "$here"/target/lib/*.jar "$jar" "$work/lib/"
cp -r "$dist" "$work/gw" && rm -rf "$work/gw/logs/"* "$work/gw/data"
cp_load="$work/lib/*"
jvm_opts=$(sed -e 's/#.*//' "$dist/conf/jvm.options" | tr '\n' ' ')
load_opts="-Xms256m -Xmx768m -XX:+UseParallelGC -Djava.net.preferIPv4Stack=true -Dloadgen.clktck=$(getconf CLK_TCK)"
results="$work/results.txt"; : > "$results"

collect() { grep '^RESULT ' "$1" | cut -d' ' -f2- >> "$results" || true; grep -v '^RESULT ' "$1" || true; }

# ---------------------------------------------------------------------------------------------------- 1. store
if [ "$do_store" = 1 ]; then
  echo; echo "== 1. store path, own JVM with the distribution's flags: $jvm_opts"
  # shellcheck disable=SC2086
  java $jvm_opts -cp "$cp_load" org.lockergate.loadgen.StoreBench --folder "$work/store" \
      --seconds "$store_seconds" --warmup 1 --writers 1,4,16,64 > "$work/store.out" 2>&1 \
    || { cat "$work/store.out"; echo "store benchmark failed" >&2; exit 1; }
  collect "$work/store.out"
fi

# ---------------------------------------------------------------------------------------------------- 2. CoAP
group_list=""
for i in $(seq 1 "$groups"); do group_list="${group_list:+$group_list,}g$i"; done
if [ "$do_coap" = 1 ]; then
  echo; echo "== 2. end to end over CoAP: bin/lockergate (scratch copy, conf/demo core configuration, not --demo)"
  conf="$work/gw/conf/config"
  if [ -n "$features" ]; then
    sed -i -e "s/^lockergate.features=.*/lockergate.features=$features/" "$work/gw/conf/lockergate.properties"
  fi
  cp "$work/gw"/conf/demo/org.lockergate.core.*.config "$conf/"
  for i in $(seq 3 "$groups"); do
    sed -e "s/^groupId=.*/groupId=\"g$i\"/" -e "s/^name=.*/name=\"Bench group $i\"/" \
        -e "s/^latitude=.*/latitude=\"$(awk -v i="$i" 'BEGIN{printf "%.4f", 36.185 + i*0.01}')\"/" \
        "$conf/org.lockergate.core.group-g1.config" > "$conf/org.lockergate.core.group-g$i.config"
  done
  # one courier per group (the same demo PIN 123456): sign-ins count against a courier at most 6 a minute
  pin_hash=$(grep '^pinHash=' "$conf/org.lockergate.core.courier-zto.config")
  for i in $(seq 1 "$groups"); do
    printf 'courierId="BENCH-g%s"\ncompany="ZTO"\nname="Bench courier %s"\n%s\nactive=B"true"\n' "$i" "$i" "$pin_hash" \
      > "$conf/org.lockergate.core.courier-bench-g$i.config"
  done
  # every listener on an ephemeral port (other gateways may run on this machine), no remote shell, no cloud sync
  env -u LOCKERGATE_SHELL_PORT -u LOCKERGATE_JAVA_OPTS LOCKERGATE_HTTP_PORT=0 LOCKERGATE_COAP_PORT=0 \
    LOCKERGATE_COAPS_PORT=0 LOCKERGATE_OPCUA_PORT=0 LOCKERGATE_MQTT_URL= LOCKERGATE_DATA="$work/data" \
    "$work/gw/bin/lockergate" < /dev/null > "$work/gateway.out" 2>&1 &
  gw_pid=$!
  for _ in $(seq 1 120); do grep -q 'LockerGate ready' "$work/gateway.out" && break; sleep 0.5; done
  grep -q 'LockerGate ready' "$work/gateway.out" || { tail -20 "$work/gateway.out"; echo "gateway did not start" >&2; exit 1; }
  coap_port=$(grep -o 'CoAP listening on udp [0-9.]*:[0-9]*' "$work/gateway.out" | head -1 | sed 's/.*://')
  http_port=$(grep -o 'HTTP http://[^ ]*' "$work/gateway.out" | head -1 | sed -e 's#.*:\([0-9]*\)/*$#\1#')
  health="http://127.0.0.1:$http_port/api/v1/health"
  grep -o 'LockerGate ready in .*' "$work/gateway.out" | head -1 || true
  # File Install reads conf/config after the start: wait for the groups and couriers
  for _ in $(seq 1 60); do
    curl -s "$health" | grep -q "\"groups\":$groups[,}]" && break; sleep 0.5
  done
  sleep 1
  jfr_arg=""; [ "$jfr" = 1 ] && jfr_arg="--jfr $work/gateway.jfr"
  # shellcheck disable=SC2086
  java $load_opts -cp "$cp_load" org.lockergate.loadgen.LockerLoad $jfr_arg --gateway "coap://127.0.0.1:$coap_port" \
      --notifications "$work/data/logs/notifications.log" --health "$health" --gateway-pid "$gw_pid" \
      --groups "$group_list" --courier 'BENCH-%s' --pin 123456 --cabinets "$cabinets" \
      --compartments "$compartments" --lanes "$lanes" --windows "$windows" --warmup "$coap_warmup" \
      --duration "$coap_seconds" $load_args \
      > "$work/coap.out" 2>&1 || { cat "$work/coap.out"; echo "CoAP load failed" >&2; exit 1; }
  collect "$work/coap.out"
  rss=$(awk '/VmRSS/{print $2}' "/proc/$gw_pid/status" 2>/dev/null || echo 0)
  echo "coap.gateway_rss_mb $((rss / 1024))" >> "$results"
  kill "$gw_pid"; wait "$gw_pid" 2>/dev/null || true; gw_pid=""
  if [ "$jfr" = 1 ] && [ -s "$work/gateway.jfr" ]; then
    echo; java -cp "$cp_load" org.lockergate.loadgen.JfrSummary "$work/gateway.jfr" | tee "$work/jfr-summary.txt"
  fi
  if grep -q ' ERROR ' "$work/gw/logs/lockergate.log" 2>/dev/null; then
    echo "gateway ERROR lines during the run:"; grep ' ERROR ' "$work/gw/logs/lockergate.log" | cut -c1-240 | head -5
  fi
fi

r() { awk -v k="$1" '$1 == k { v = $2 } END { if (v == "") print "nan"; else print v }' "$results"; }

# ---------------------------------------------------------------------------------------------------- 3. bare CoAP
if [ "$do_bare" = 1 ]; then
  endpoints=$(r coap.kiosk_endpoints); [ "$endpoints" = nan ] && endpoints=$lanes
  endpoints=${endpoints%.*}
  # The distribution's flags, but a 1 GB heap: Californium's deduplicator keeps every exchange for the 247 s
  # EXCHANGE_LIFETIME (about 2.8 KB each, measured), so with -Xmx192m a bare server at ~6,000 requests/s fills its
  # heap in about 15 s and exits (-XX:+ExitOnOutOfMemoryError): the baseline would measure the collector.
  bare_opts=$(echo "$jvm_opts" | sed -e 's/-Xmx[^ ]*/-Xmx1g/')
  echo; echo "== 3. bare Californium, own JVM ($bare_opts); client: $windows threads over $endpoints endpoints"
  # shellcheck disable=SC2086
  java $bare_opts -cp "$cp_load" org.lockergate.loadgen.BareCoapServer > "$work/bare-server.out" 2>&1 &
  bare_pid=$!
  for _ in $(seq 1 40); do grep -q BARE_COAP_PORT "$work/bare-server.out" && break; sleep 0.25; done
  bare_port=$(awk '/BARE_COAP_PORT/{print $2}' "$work/bare-server.out")
  # shellcheck disable=SC2086
  java $load_opts -cp "$cp_load" org.lockergate.loadgen.BareCoapLoad --server "coap://127.0.0.1:$bare_port" \
      --threads "$windows" --endpoints "$endpoints" --warmup "$bare_warmup" --duration "$bare_seconds" \
      --gateway-pid "$bare_pid" > "$work/bare.out" 2>&1 || { cat "$work/bare.out"; echo "bare load failed" >&2; exit 1; }
  collect "$work/bare.out"
  kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true; bare_pid=""
fi

# ---------------------------------------------------------------------------------------------------- table
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "== LockerGate locker benchmark, $(date '+%Y-%m-%d %H:%M'), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
echo "   SHARED MACHINE: load average (1/5/15 min) $load_start at the start, $load_end at the end;"
echo "   the CPU used by other processes during each window is printed beside the figures."
fmt() { awk -v v="$1" -v d="${2:-0}" 'BEGIN { if (v == "nan" || v == "") print "-"; else printf "%." d "f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "-"; else printf "%.2fx", a / b }'; }
row() { printf '%-46s %12s %9s %9s   %-34s %8s\n' "$@"; }
if [ "$do_store" = 1 ]; then
  fsync=$(r store.bare_fsync.rate); nosync=$(r store.bare_nosync.rate)
  echo
  row "store path (deposit-like tx, own JVM)" "tx/s" "p50 ms" "p99 ms" "baseline" "ratio"
  row "bare H2, no sync" "$(fmt "$nosync")" "$(fmt "$(r store.bare_nosync.p50)" 2)" "$(fmt "$(r store.bare_nosync.p99)" 2)" "" ""
  row "bare H2, CHECKPOINT SYNC every commit" "$(fmt "$fsync")" "$(fmt "$(r store.bare_fsync.p50)" 2)" "$(fmt "$(r store.bare_fsync.p99)" 2)" "" ""
  for w in 1 4 16 64; do
    row "H2Store group commit, $w writer(s)" "$(fmt "$(r store.w$w.rate)")" "$(fmt "$(r store.w$w.p50)" 2)" \
        "$(fmt "$(r store.w$w.p99)" 2)" "bare fsync-per-commit (no sync)" "$(ratio "$(r store.w$w.rate)" "$fsync") ($(ratio "$(r store.w$w.rate)" "$nosync"))"
    printf '%-46s %s tx/sync, %s syncs/s, %s ms/sync\n' "" "$(fmt "$(r store.w$w.tx_per_sync)" 1)" \
        "$(fmt "$(r store.w$w.syncs_per_s)")" "$(fmt "$(r store.w$w.ms_per_sync)" 2)"
  done
fi
if [ "$do_coap" = 1 ]; then
  fsync=$(r store.bare_fsync.rate)
  for n in $(echo "$windows" | tr ',' ' '); do
    k="coap.l$n"; bare=$(r "bare_coap.t$n.rate")
    echo
    row "end to end over CoAP, $n lanes" "per s" "p50 ms" "p99 ms" "baseline" "ratio"
    row "deposits + pickups acknowledged" "$(fmt "$(r $k.kiosk.rate)" 1)" "$(fmt "$(r $k.kiosk.p50)" 2)" \
        "$(fmt "$(r $k.kiosk.p99)" 2)" "bare Californium $(fmt "$bare") req/s" "$(ratio "$(r $k.kiosk.rate)" "$bare")"
    row "  deposits" "$(fmt "$(r $k.deposit.rate)" 1)" "$(fmt "$(r $k.deposit.p50)" 2)" "$(fmt "$(r $k.deposit.p99)" 2)" "" ""
    row "  pickups" "$(fmt "$(r $k.pickup.rate)" 1)" "$(fmt "$(r $k.pickup.p50)" 2)" "$(fmt "$(r $k.pickup.p99)" 2)" "" ""
    row "complete cycles (deposit .. empty door closed)" "$(fmt "$(r $k.cycles.rate)" 1)" "" "" \
        "bare H2 fsync/commit $(fmt "$fsync")/s" "$(ratio "$(r $k.cycles.rate)" "$fsync")"
    row "kiosk p99 (target < 20 ms)" "" "" "$(fmt "$(r $k.kiosk.p99)" 2)" \
        "bare Californium p99 $(fmt "$(r "bare_coap.t$n.p99")" 2) ms" "$(ratio "$(r $k.kiosk.p99)" "$(r "bare_coap.t$n.p99")")"
    printf '  cabinet events %s/s, unlocks %s/s; gateway store: %s syncs/s, %s tx/s, %s tx/sync, %s tx/cycle\n' \
        "$(fmt "$(r $k.events_per_s)")" "$(fmt "$(r $k.unlocks_per_s)")" "$(fmt "$(r $k.store.syncs_per_s)")" \
        "$(fmt "$(r $k.store.tx_per_s)")" "$(fmt "$(r $k.store.tx_per_sync)" 2)" "$(fmt "$(r $k.store.tx_per_cycle)" 1)"
    printf '  CPU in cores: gateway JVM %s, load JVM %s, other processes %s (load average %s); errors: %s\n' \
        "$(fmt "$(r $k.cpu.gateway)" 2)" "$(fmt "$(r $k.cpu.load)" 2)" "$(fmt "$(r $k.cpu.others)" 2)" \
        "$(fmt "$(r $k.load_average)" 1)" "$(awk -v k="$k.errors" '$1 == k { $1 = ""; print }' "$results")"
    if [ "$do_bare" = 1 ]; then
      printf '  bare Californium, %s threads: %s req/s, p50 %s ms, p99 %s ms; CPU server %s, load JVM %s, others %s\n' "$n" \
          "$(fmt "$bare")" "$(fmt "$(r "bare_coap.t$n.p50")" 2)" "$(fmt "$(r "bare_coap.t$n.p99")" 2)" \
          "$(fmt "$(r "bare_coap.t$n.cpu.server")" 2)" "$(fmt "$(r "bare_coap.t$n.cpu.load")" 2)" \
          "$(fmt "$(r "bare_coap.t$n.cpu.others")" 2)"
    fi
  done
  echo "  gateway resident set after the run: $(r coap.gateway_rss_mb) MB; kiosk endpoints $(fmt "$(r coap.kiosk_endpoints)")"
fi
[ "$jfr" = 1 ] && echo "  gateway flight recording: $work/gateway.jfr (summary above; jfr print --events ... for more)"
echo "  total time $(( $(date +%s) - started )) s"
