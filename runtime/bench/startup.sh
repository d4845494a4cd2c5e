#!/usr/bin/env bash
# Benchmark (not in CI): cold start to "ready" and resident memory of the distribution, median of RUNS runs,
# beside an empty Apache Felix framework started with the same JVM flags (conf/jvm.options), as a ratio.
#   mvn -B -q package -DskipTests && runtime/bench/startup.sh          (RUNS=7 by default)
# Each run uses a fresh data folder (cold: new framework cache, first-start keys) and ephemeral ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${DIST:-$here/../target/lockergate}
RUNS=${RUNS:-7}
ARGS=${ARGS:-}            # e.g. ARGS=--demo
[ -x "$DIST/bin/lockergate" ] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
JVM_OPTS=$(sed -e 's/#.*//' "$DIST/conf/jvm.options" | tr '\n' ' ')

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

ready=(); wall=(); rss=(); empty=()
for i in $(seq 1 "$RUNS"); do
  data=$(mktemp -d); log=$(mktemp)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  LOCKERGATE_HTTP_PORT=0 LOCKERGATE_COAP_PORT=0 LOCKERGATE_COAPS_PORT=0 LOCKERGATE_OPCUA_PORT=0 \
    LOCKERGATE_DATA="$data" "$DIST/bin/lockergate" $ARGS >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q "LockerGate ready in" "$log" && break; sleep 0.05; done
  t1=$(date +%s%N)
  ms=$(grep -o "LockerGate ready in [0-9]*" "$log" | grep -o "[0-9]*$" || true)
  [ -n "$ms" ] || { echo "run $i: no ready line"; cat "$log"; kill -9 $pid; exit 1; }
  sleep 3   # let first-start work (keys, initial admin) finish before reading memory
  kb=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  ready+=("$ms"); wall+=($(( (t1 - t0) / 1000000 ))); rss+=($(( kb / 1024 )))
  # shellcheck disable=SC2086
  e=$(java $JVM_OPTS -cp "$DIST/lib/*" org.lockergate.launcher.EmptyFramework | grep -o "[0-9]*" | head -1)
  empty+=("$e")
  echo "run $i: ready ${ms} ms (process start to ready line ${wall[-1]} ms), RSS ${rss[-1]} MiB; empty Felix ${e} ms"
  rm -rf "$data" "$log"
done

r=$(printf '%s\n' "${ready[@]}" | median); w=$(printf '%s\n' "${wall[@]}" | median)
m=$(printf '%s\n' "${rss[@]}" | median); e=$(printf '%s\n' "${empty[@]}" | median)
echo
echo "median of $RUNS runs (JVM flags: $JVM_OPTS)"
echo "  LockerGate ready:            $r ms   (target <= 3000 ms)"
echo "  process start to ready line: $w ms   (includes JVM start)"
echo "  empty Felix framework start: $e ms"
echo "  ratio LockerGate / empty Felix: $(awk -v a="$r" -v b="$e" 'BEGIN {printf "%.1f", a / (b > 0 ? b : 1)}')"
echo "  resident memory after ready: $m MiB   (target <= 256 MiB)"
echo "  other load on this machine now: $(cut -d' ' -f1-3 /proc/loadavg) (load average)"
