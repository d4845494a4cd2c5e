#!/usr/bin/env bash
# Checks the CU48 Modbus TCP simulator with an independent Modbus master, mbpoll (Debian: apt-get install mbpoll),
# against the register map of DESIGN.md §4. Starts the simulator standalone on a free loopback port with boards 1
# and 2, drives its doors through its standard input, and compares what mbpoll reads and writes with the map.
# Not part of the build. Usage (after mvn -B -o -q package -pl devices/lockboards):
#   devices/lockboards/mbpoll-check.sh            # prints each mbpoll command, its output and PASS/FAIL
set -euo pipefail
cd "$(dirname "$0")"
JAR=$(ls target/org.lockergate.devices.lockboards-*.jar 2>/dev/null | grep -v sources | head -1 || true)
[ -n "$JAR" ] || { echo "no simulator jar: mvn -B -o -q package -pl devices/lockboards" >&2; exit 2; }
command -v mbpoll >/dev/null || { echo "mbpoll missing: apt-get install -y mbpoll" >&2; exit 2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
mkfifo "$WORK/in"
java -jar "$JAR" cu48 --port "$PORT" --boards 1,2 <"$WORK/in" >"$WORK/sim.log" 2>&1 &
SIM=$!
exec 3>"$WORK/in" # keeps the simulator's standard input open
cleanup() { echo quit >&3 || true; exec 3>&-; wait "$SIM" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 100); do grep -q "listening" "$WORK/sim.log" && break; sleep 0.1; done
echo "simulator: $(head -1 "$WORK/sim.log")"
echo "mbpoll:    $(mbpoll -V 2>&1 | head -1)"

FAILED=0
# check NAME EXPECTED-REGEX "mbpoll options" [values to write]: runs mbpoll once, prints its answer (long reads
# folded onto one line), matches the whole output (tabs and newlines as single spaces)
check() {
  local name=$1 expect=$2 opts=$3 values=${4:-}
  local out
  # shellcheck disable=SC2086
  out=$(mbpoll -m tcp -p "$PORT" -1 -o 0.5 $opts 127.0.0.1 $values 2>&1 | tr '\t' ' ' || true)
  echo "\$ mbpoll -m tcp -p \$PORT -1 -o 0.5 $opts 127.0.0.1 $values"
  echo "$out" | grep -E '^\[|Illegal|[Tt]imed out|Written|fail|Connection' | tr '\n' ' ' | fold -w 116 -s | sed 's/^/    /' || true
  echo
  if echo "$out" | tr '\n' ' ' | tr -s ' ' | grep -Eq -- "$expect"; then echo "  PASS $name"; else echo "  FAIL $name (expected /$expect/)"; FAILED=1; fi
}
sim() { echo "$*" >&3; sleep 0.2; }

# doors closed at start: discrete inputs 1-48 (PDU 0-47) = 1, items 49-96 (PDU 48-95) = 0
check "48 doors closed at start" '(\[[0-9]+\]: 1 ){48}' "-a 1 -t 1 -r 1 -c 48"
check "48 item sensors empty at start" '(\[[0-9]+\]: 0 ){48}' "-a 1 -t 1 -r 49 -c 48"
# input registers: firmware 0x0105, 48 channels, fault bits 0, unlock counter 0
check "input registers firmware/channels/faults/counter" '\[1\]: 0x0105 \[2\]: 0x0030 \[3\]: 0x0000 \[4\]: 0x0000' "-a 1 -t 3:hex -r 1 -c 4"
# holding register 0 = pulse length, 50-5000 ms
check "pulse length written (HR 0 = 400)" 'Written 1 references' "-a 1 -t 4 -r 1" 400
check "pulse length read back" '\[1\]: 400' "-a 1 -t 4 -r 1"
check "pulse length 10 ms refused (exception 03)" 'Illegal data value' "-a 1 -t 4 -r 1" 10
# coil 5 (PDU 4) = unlock channel 5: the door opens after the simulated 50 ms, the counter counts, the coil clears
check "unlock channel 5 (coil PDU 4 = 1)" 'Written 1 references' "-a 1 -t 0 -r 5" 1
sleep 0.2
check "door 5 open after the pulse" '\[5\]: 0' "-a 1 -t 1 -r 5"
check "unlock counter 1" '\[4\]: 1( |$)' "-a 1 -t 3 -r 4"
check "the board cleared the coil" '\[5\]: 0' "-a 1 -t 0 -r 5"
# item sensor and door driven on the simulator's console
sim "item 1 7 on"; sim "door 1 5 close"
check "item 7 present (input 55)" '\[55\]: 1' "-a 1 -t 1 -r 55"
check "door 5 closed again" '\[5\]: 1' "-a 1 -t 1 -r 5"
# a jammed lock: the pulse is counted, the door stays shut, fault bit 0 set
sim "jam 1 6 on"
check "unlock channel 6 (jammed)" 'Written 1 references' "-a 1 -t 0 -r 6" 1
sleep 0.2
check "jammed door 6 still closed" '\[6\]: 1' "-a 1 -t 1 -r 6"
check "fault bit 0 set" '\[3\]: 1( |$)' "-a 1 -t 3 -r 3"
# addressing: past the map is exception 02; board 2 answers separately; an absent unit never answers
check "discrete input 97 refused (exception 02)" 'Illegal data address' "-a 1 -t 1 -r 97"
check "board 2 answers with its own state" '\[3\]: 0( |$)' "-a 2 -t 3 -r 3"
check "unit 9 (no board) never answers" '[Tt]ime[d ]*out|timeout|Connection timed out' "-a 9 -t 3 -r 1"
# the exception fault mode: every request answered with exception 04
sim "fault 1 exception"
check "exception fault: 04 slave device failure" 'Slave device or server failure|Slave device failure|device failure' "-a 1 -t 3 -r 1"
sim "fault 1 none"

if [ "$FAILED" = 0 ]; then echo "ALL PASS"; else echo "SOME CHECKS FAILED"; exit 1; fi
