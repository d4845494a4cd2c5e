#!/usr/bin/env bash
# LockerGate CoAP cabinet protocol v1 — walkthrough with Debian's coap-client (libcoap3-bin).
# 用 Debian 的 coap-client 逐条演示 LockerGate CoAP 柜子协议 v1（见 coap-cabinet.md）。
#
# Every exchange of docs/protocols/coap-cabinet.md, against a running gateway. It prints each command and the
# gateway's answer line (`v:1 t:ACK c:2.01 … :: '<body>'`, message texts decoded to UTF-8).
#
# Needs: coap-client-notls, coap-client-openssl, coap-server-notls (apt-get install libcoap3-bin), java 17 and the
# simulator's standalone jar (kiosk part), jq, perl, xxd, openssl. The gateway must run WITHOUT --demo but with the
# demo groups g1/g2, the demo couriers (JT-0001 / 123456) and the development notifier:
#
#   cp -r runtime/target/lockergate /tmp/lg-doc
#   cp /tmp/lg-doc/conf/demo/org.lockergate.core.*.config /tmp/lg-doc/conf/config/
#   LOCKERGATE_HTTP_PORT=0 LOCKERGATE_COAP_PORT=5699 LOCKERGATE_COAPS_PORT=5698 \
#     LOCKERGATE_DATA=/tmp/lg-doc/data /tmp/lg-doc/bin/lockergate &
#
# Usage:  docs/protocols/coap-client-walkthrough.sh [cabinet|cbor|unlock|kiosk|dtls|all]      (default: all)
# Environment (defaults in brackets):
#   GW [127.0.0.1]  COAP_PORT [5699]  COAPS_PORT [5698]  LG_DATA [/tmp/lg-doc/data] (for the PSK file and the
#   notifications log)  SIM_JAR [devices/coap-cabinet/target/org.lockergate.devices.coap-*-standalone.jar]
# Run it once on a fresh data folder: it registers cabinets c9, c8, c7, c3, c5 (group g2) and c1 (group g1, the
# simulator), appends keys for c5 and kiosk-g1 to the PSK file, and uses up lockouts for a few minutes.
set -u

GW=${GW:-127.0.0.1}
COAP_PORT=${COAP_PORT:-5699}
COAPS_PORT=${COAPS_PORT:-5698}
LG_DATA=${LG_DATA:-/tmp/lg-doc/data}
HERE=$(cd "$(dirname "$0")" && pwd)
SIM_JAR=${SIM_JAR:-$(ls "$HERE"/../../devices/coap-cabinet/target/org.lockergate.devices.coap-*-standalone.jar 2>/dev/null | head -1)}
U="coap://$GW:$COAP_PORT"
US="coaps://$GW:$COAPS_PORT"
WORK=$(mktemp -d /tmp/coap-walk.XXXXXX)
CLIENT=coap-client-notls
BODY=""      # body of the last answer
CODE=""      # code of the last answer (2.01, 4.00, …)
LOCATION=""  # Location-Path of the last answer (rd/…)

decode() { perl -pe 's/\\x([0-9A-Fa-f]{2})/chr(hex($1))/ge'; }
say() { printf '\n### %s\n' "$*"; }

# c ARGS… — run coap-client with -v 6, show the command and the answer lines (the request line is left out).
c() {
    local client=$CLIENT
    if [ "$1" = "--dtls" ]; then client=coap-client-openssl; shift; fi
    printf '$ %s' "$client"
    local a
    for a in "$@"; do
        case $a in
            *[!A-Za-z0-9_./:=@%+-]*) printf " '%s'" "$a" ;;
            *) printf ' %s' "$a" ;;
        esac
    done
    printf '\n'
    "$client" -v 6 "$@" >"$WORK/out" 2>"$WORK/err"
    grep -oE 'v:1 t:(ACK|CON|NON) c:[0-5]\.[0-9]{2}.*' "$WORK/out" | decode | sed 's/ i:[0-9a-f]* {[0-9a-f]*}//'
    local last
    last=$(grep -oE 'v:1 t:(ACK|CON|NON) c:[2-5]\.[0-9]{2}.*' "$WORK/out" | tail -1)
    CODE=$(printf '%s' "$last" | sed -n 's/.* c:\([0-9]\.[0-9][0-9]\).*/\1/p')
    BODY=$(printf '%s' "$last" | sed -n "s/.* :: '\(.*\)'\$/\1/p" | decode)
    LOCATION=$(printf '%s' "$last" | grep -o 'Location-Path:[^],]*' | sed 's/Location-Path://' | paste -sd/ -)
    if [ -z "$last" ]; then echo "(no answer)"; sed -n '1,3p' "$WORK/err"; fi
}

json_field() { printf '%s' "$BODY" | jq -r ".$1 // empty"; }

now() { TZ=Asia/Shanghai date +%Y-%m-%dT%H:%M:%S.000%:z; }

# ------------------------------------------------------------------------------------------ cabinet API by hand
part_cabinet() {
    say "Cabinet API by hand: c9 in group g2 (no unlocks needed) / 手工演示柜子接口"
    cat >"$WORK/c9.json" <<'EOF'
{"vendor":"acme","model":"M1","firmware":"1.4.2","boot":3,"groupId":"g2","compartments":[{"compartment":"11","size":"S","board":1,"channel":11},{"compartment":"12","size":"M","board":1,"channel":12}]}
EOF
    say "1. register / 注册"
    c -m post -t 50 -f "$WORK/c9.json" "$U/rd?ep=c9&lt=120"
    REG=$LOCATION
    say "2. heartbeat / 心跳"
    c -m post "$U/$REG"
    say "3. bad descriptor / 描述无效"
    c -m post -t 50 -e '{"vendor":"acme","model":"M1","firmware":"1.4.2","boot":3,"groupId":"g2","compartments":[{"compartment":"12","size":"XL","board":1,"channel":12}]}' "$U/rd?ep=c9&lt=120"
    c -m post -t 50 -f "$WORK/c9.json" "$U/rd?ep=c9&lt=5"
    c -m post -t 50 -e '{"vendor":"acme","model":"M1","firmware":"1.4.2","boot":3,"groupId":"g9","compartments":[{"compartment":"12","size":"M","board":1,"channel":12}]}' "$U/rd?ep=c9&lt=120"
    c -m post -t 50 -e '{"vendor":"acme","model":"M1","firmware":"1.4.2","boot":1,"groupId":"g2","compartments":[{"compartment":"12","size":"M","board":1,"channel":12}]}' "$U/rd?ep=c8&lt=120"
    say "4. events, then the same events again / 事件与重发"
    local t1 t2
    t1=$(now); t2=$(now)
    EV='{"boot":3,"events":[{"seq":1,"ts":"'$t1'","type":"power","power":"mains"},{"seq":2,"ts":"'$t1'","type":"door","compartment":"12","closed":false},{"seq":3,"ts":"'$t2'","type":"door","compartment":"12","closed":true}]}'
    c -m post -t 50 -e "$EV" "$U/cabinets/c9/events"
    c -m post -t 50 -e "$EV" "$U/cabinets/c9/events"
    say "5. bad event / 事件无效"
    c -m post -t 50 -e '{"boot":3,"events":[{"seq":4,"ts":"'$t2'","type":"door","compartment":"99","closed":true}]}' "$U/cabinets/c9/events"
    c -m post -t 50 -e '{"boot":3,"events":[{"seq":4,"ts":"yesterday","type":"tamper"}]}' "$U/cabinets/c9/events"
    say "6. not registered / 未注册"
    c -m post -t 50 -e '{"boot":1,"events":[{"seq":1,"ts":"'$t2'","type":"tamper"}]}' "$U/cabinets/c8/events"
    say "7. observe the cabinet state while the cabinet reports a door / 观察柜子状态"
    echo "\$ $CLIENT -s 6 $U/cabinets/c9/state &   # then two door events"
    ( $CLIENT -v 6 -s 6 "$U/cabinets/c9/state" >"$WORK/obs" 2>&1 ) &
    local obs=$!
    sleep 1
    c -m post -t 50 -e '{"boot":3,"events":[{"seq":4,"ts":"'$(now)'","type":"door","compartment":"11","closed":false}]}' "$U/cabinets/c9/events"
    sleep 1
    c -m post -t 50 -e '{"boot":3,"events":[{"seq":5,"ts":"'$(now)'","type":"door","compartment":"11","closed":true}]}' "$U/cabinets/c9/events"
    wait $obs
    echo "--- the observer's output:"
    grep -oE 'v:1 t:(ACK|CON|NON) c:[1-5]\.[0-9]{2}.*' "$WORK/obs" | sed 's/ i:[0-9a-f]* {[0-9a-f]*}//'
    say "8. the cabinet restarts: registers again with boot 4 / 重启后重新注册"
    c -m post -t 50 -e '{"boot":3,"events":[{"seq":6,"ts":"'$(now)'","type":"power","power":"battery"}]}' "$U/cabinets/c9/events"
    sed 's/"boot":3/"boot":4/' "$WORK/c9.json" >"$WORK/c9b4.json"
    c -m post -t 50 -f "$WORK/c9b4.json" "$U/rd?ep=c9&lt=120"
    OLD=$REG; REG=$LOCATION
    c -m post "$U/$OLD"
    echo "--- an event of boot 3 still queued in the cabinet, then boot 4 from seq 1:"
    c -m post -t 50 -e '{"boot":3,"events":[{"seq":7,"ts":"'$(now)'","type":"power","power":"mains"}]}' "$U/cabinets/c9/events"
    c -m post -t 50 -e '{"boot":4,"events":[{"seq":1,"ts":"'$(now)'","type":"power","mains":true,"battery":false}]}' "$U/cabinets/c9/events"
    echo "--- a gap: seq 4 arrives before 2 and 3:"
    c -m post -t 50 -e '{"boot":4,"events":[{"seq":4,"ts":"'$(now)'","type":"camera","ok":true}]}' "$U/cabinets/c9/events"
    c -m post -t 50 -e '{"boot":4,"events":[{"seq":2,"ts":"'$(now)'","type":"fault","code":"lock_board_2"},{"seq":3,"ts":"'$(now)'","type":"tamper"}]}' "$U/cabinets/c9/events"
    say "9. transport errors / 传输层错误"
    c -m post -t 50 -e '{"boot":4,"events":[' "$U/cabinets/c9/events"
    c -m post -t 0 -e 'door 12 closed' "$U/cabinets/c9/events"
    c -m post -e '{"boot":4,"events":[{"seq":5,"ts":"'$(now)'","type":"camera","ok":true}]}' "$U/cabinets/c9/events"
    c "$U/rd"
    c "$U/nothing/here"
    head -c 9000 /dev/zero | tr '\0' ' ' >"$WORK/big"
    c -m post -t 50 -f "$WORK/big" "$U/cabinets/c9/events"
    say "10. deregister / 注销"
    c -m delete "$U/$REG"
    c -m post "$U/$REG"
    c -m delete "$U/$REG"
    c -m post -t 50 -e '{"boot":3,"events":[{"seq":9,"ts":"'$(now)'","type":"tamper"}]}' "$U/cabinets/c9/events"
    c "$U/cabinets/c9/state"
    c "$U/cabinets/nope/state"
}

# ------------------------------------------------------------------------------ CBOR (content-format 60)
part_cbor() {
    say "CBOR (content-format 60): register c7 in g2 and send one event / CBOR 格式"
    # {"vendor":"acme","model":"M1","firmware":"1.4.2","boot":1,"groupId":"g2",
    #  "compartments":[{"compartment":"21","size":"L","board":1,"channel":1}]}
    printf '\xa6\x66vendor\x64acme\x65model\x62M1\x68firmware\x651.4.2\x64boot\x01\x67groupId\x62g2\x6ccompartments\x81\xa4\x6bcompartment\x6221\x64size\x61L\x65board\x01\x67channel\x01' >"$WORK/c7.cbor"
    c -m post -t 60 -A 60 -f "$WORK/c7.cbor" -o "$WORK/c7.answer" "$U/rd?ep=c7&lt=60"
    local reg=$LOCATION
    echo "answer bytes: $(xxd -p "$WORK/c7.answer")   # bf = map of indefinite length, 69 + \"heartbeat\", 0a = 10, ff = end: {\"heartbeat\":10}"
    local ts
    ts=$(now)
    # {"boot":1,"events":[{"seq":1,"ts":"<29 chars>","type":"tamper"}]}
    printf '\xa2\x64boot\x01\x66events\x81\xa3\x63seq\x01\x62ts\x78\x1d%s\x64type\x66tamper' "$ts" >"$WORK/ev.cbor"
    c -m post -t 60 -f "$WORK/ev.cbor" "$U/cabinets/c7/events"
    c -m delete "$U/$reg"
}

# ------------------------------------------------------------------- kiosk API, cabinet c1 played by the simulator
SIM_PID=""
SIM_SEEN=0
sim() { echo "$*" >"$WORK/sim.in"; echo "simulator> $*"; sleep "${SIM_WAIT:-1}"; }
simlog() { # the simulator's log lines since the last call
    local n
    n=$(wc -l <"$WORK/sim.log")
    [ "$n" -gt "$SIM_SEEN" ] && sed -n "$((SIM_SEEN + 1)),${n}p" "$WORK/sim.log" | sed 's/^/simulator| /'
    SIM_SEEN=$n
}

start_sim() {
    if [ -z "$SIM_JAR" ] || [ ! -f "$SIM_JAR" ]; then
        echo "simulator jar not found: build devices/coap-cabinet or set SIM_JAR" >&2
        exit 1
    fi
    mkfifo "$WORK/sim.in"
    sleep 100000 >"$WORK/sim.in" &   # keeps the FIFO open between commands
    KEEP_PID=$!
    echo "\$ java -jar $(basename "$SIM_JAR") --gateway $U --cabinet c1 --group g1 --compartments 24 --jam 1"
    java -jar "$SIM_JAR" --gateway "$U" --cabinet c1 --group g1 --compartments 24 --jam 1 \
        <"$WORK/sim.in" >"$WORK/sim.log" 2>&1 &
    SIM_PID=$!
    for _ in $(seq 1 40); do
        grep -q 'rd/' "$WORK/sim.log" 2>/dev/null && break
        sleep 0.5
    done
    simlog
}

stop_sim() {
    [ -n "$SIM_PID" ] || return
    kill -TERM "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
    kill "$KEEP_PID" 2>/dev/null
    echo "--- simulator log (last lines):"
    tail -4 "$WORK/sim.log"
    SIM_PID=""
}

code_of() { # code_of PARCEL_ID — from the development notifier's log (never in production)
    local line=""
    for _ in $(seq 1 20); do
        line=$(grep "\"parcelId\":\"$1\"" "$LG_DATA/logs/notifications.log" 2>/dev/null | tail -1)
        [ -n "$line" ] && break
        sleep 0.5
    done
    echo "$line" >&2
    printf '%s' "$line" | sed -n 's/.*"code":"\([0-9]*\)".*/\1/p'
}

token_for() { # token_for COURIER_ID — a courier login token made with {data}/secrets/courier-token.key
    local exp sig hexkey
    exp=$(( $(date +%s) + 300 ))
    hexkey=$(base64 -d <"$LG_DATA/secrets/courier-token.key" | xxd -p | tr -d '\n')
    sig=$(printf '%s' "$1.$exp" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$hexkey" -binary \
        | base64 | tr '+/' '-_' | tr -d '=\n')
    printf '%s.%s.%s' "$1" "$exp" "$sig"
}

DECL='"declared":{"damaged":false,"weightMismatch":false,"fresh":false,"valuable":false}'

deposit() { # deposit GROUP SESSION WAYBILL SIZE PHONE
    c -m post -t 50 -e '{"session":"'$2'","waybill":"'$3'","size":"'$4'","phone":"'$5'",'"$CONSENT"','"$DECL"'}' \
        "$U/groups/$1/deposits"
}

part_kiosk() {
    say "Kiosk API; cabinet c1 of group g1 is the simulator (it serves /locks/{label}) / 终端接口"
    CONSENT='"consent":{"channel":"app","ref":"C-889","at":"'$(now)'","feeTermsAccepted":true}'
    start_sim
    trap 'stop_sim' EXIT
    say "group state / 柜组状态"
    c "$U/groups/g1/state"
    say "courier session / 快递员登录"
    c -m post -t 50 -e '{"courierId":"JT-0001","pin":"000000"}' "$U/groups/g1/sessions"
    c -m post -t 50 -e '{"courierId":"JT-0001","pin":"123456"}' "$U/groups/g1/sessions"
    S=$(json_field session)
    if [ -r "$LG_DATA/secrets/courier-token.key" ]; then
        c -m post -t 50 -e '{"token":"'"$(token_for JT-0001)"'"}' "$U/groups/g1/sessions"
    fi
    c -m post -t 50 -e '{"token":"JT-0001.1.AAAA"}' "$U/groups/g1/sessions"
    say "courier lockout (an unknown id counts like a wrong PIN) / 登录锁定"
    for _ in 1 2 3 4 5; do
        c -m post -t 50 -e '{"courierId":"JT-9999","pin":"000000"}' "$U/groups/g1/sessions"
    done
    say "deposit refusals / 存件被拒"
    c -m post -t 50 -e '{"session":"'$S'","waybill":"JT0000000001","size":"S","phone":"13800001234",'"$DECL"'}' "$U/groups/g1/deposits"
    c -m post -t 50 -e '{"session":"'$S'","waybill":"JT0000000001","size":"S","phone":"13800001234",'"$CONSENT"',"declared":{"damaged":true,"weightMismatch":false,"fresh":false,"valuable":false}}' "$U/groups/g1/deposits"
    deposit g1 nope JT0000000001 S 13800001234
    deposit g1 "$S" JT0000000001 S 12345
    c -m post -t 50 -e '{"session":"'$S'","waybill":"JT0000000001","size":"S","phone":"13800001234",'"$CONSENT"'}' "$U/groups/g1/deposits"
    say "deposit 1 (compartment 1 is jammed in the simulator) / 存件 1"
    deposit g1 "$S" JT0000000001 S 13800001234
    P1=$(json_field parcelId); L1=$(json_field compartment)
    simlog
    say "the courier puts the parcel in and closes the door: the cabinet reports occupancy and door / 放入并关门"
    sim put "$L1"
    sim close "$L1"
    simlog
    echo "--- {data}/logs/notifications.log (development notifier only; in production the code goes by SMS through the cloud):"
    CODE1=$(code_of "$P1")
    say "deposits 2, 3 and 4 / 存件 2、3、4"
    deposit g1 "$S" JT0000000002 M 13900005678
    P2=$(json_field parcelId); L2=$(json_field compartment)
    sim put "$L2"; sim close "$L2"
    CODE2=$(code_of "$P2")
    deposit g1 "$S" JT0000000003 L 13700009999
    P3=$(json_field parcelId); L3=$(json_field compartment)
    sim put "$L3"; sim close "$L3"
    CODE3=$(code_of "$P3")
    echo "--- a slow controller (unlock answered after 1.5 s): the gateway sends an empty ACK first, then the answer"
    sim slow 1500
    deposit g1 "$S" JT0000000004 S 13600001111
    P4=$(json_field parcelId); L4=$(json_field compartment)
    sim slow 0
    sim put "$L4"; sim close "$L4"
    CODE4=$(code_of "$P4")
    simlog >/dev/null
    say "wrong code, then the keypad lockout from another keypad address (127.0.0.2) / 取件码错误与锁定"
    c -m post -t 50 -e '{"code":"00000000"}' "$U/groups/g1/pickups"
    for _ in 1 2 3 4 5; do
        c -a 127.0.0.2 -m post -t 50 -e '{"code":"00000001"}' "$U/groups/g1/pickups"
    done
    c -m post -t 50 -e '{"code":"1234"}' "$U/groups/g1/pickups"
    say "pickup 1 with its code; the resident takes the parcel and closes the door / 取件 1"
    c -m post -t 50 -e '{"code":"'$CODE1'"}' "$U/groups/g1/pickups"
    simlog
    sim take "$L1"
    sim close "$L1"
    c -m post -t 50 -e '{"code":"'$CODE1'"}' "$U/groups/g1/pickups"
    say "pickup 2, rejected while the door is open / 取件 2 并当场拒收"
    c -m post -t 50 -e '{"code":"'$CODE2'","phoneLast4":"5678"}' "$U/groups/g1/pickups"
    c -m post -t 50 -e '{"parcelId":"'$P2'","reason":"damaged"}' "$U/groups/g1/rejections"
    sim close "$L2"
    c -m post -t 50 -e '{"parcelId":"'$P2'","reason":"damaged"}' "$U/groups/g1/rejections"
    c -m post -t 50 -e '{"code":"'$CODE2'"}' "$U/groups/g1/pickups"
    say "pickup 3 with a jammed lock / 取件 3 锁卡住"
    sim jam "$L3"
    c -m post -t 50 -e '{"code":"'$CODE3'"}' "$U/groups/g1/pickups"
    simlog
    say "group g2 has no online cabinet: full, with a suggestion / 柜组已满"
    c -m post -t 50 -e '{"courierId":"JT-0001","pin":"123456"}' "$U/groups/g2/sessions"
    S2=$(json_field session)
    deposit g2 "$S2" JT0000000006 S 13800001234
    say "group state after / 柜组状态"
    c "$U/groups/g1/state"
    c "$U/groups/g9/state"
    say "the simulator stops: it deregisters (DELETE /rd/{regId}) / 模拟柜停止并注销"
    stop_sim
    trap - EXIT
    say "cabinet c1 is offline now / 柜子离线"
    deposit g1 "$S" JT0000000005 S 13800001234
    echo "--- (another keypad address: 127.0.0.1 has used its 6 attempts of this minute)"
    c -a 127.0.0.3 -m post -t 50 -e '{"code":"'$CODE4'"}' "$U/groups/g1/pickups"
}

# ------------------------------------------------ an unlock seen by hand: coap-server-notls on the registered port
part_unlock() {
    say "What the gateway sends to /locks/{label}, seen with coap-server-notls / 用 coap-server 查看开锁请求"
    local port=56830
    c -p $port -m post -t 50 -e '{"vendor":"acme","model":"M1","firmware":"1.4.2","boot":1,"groupId":"g2","compartments":[{"compartment":"31","size":"S","board":1,"channel":1}]}' "$U/rd?ep=c3&lt=60"
    local reg=$LOCATION
    echo "\$ coap-server-notls -A 127.0.0.1 -p $port -v 7 &"
    coap-server-notls -A 127.0.0.1 -p $port -v 7 >"$WORK/srv.log" 2>&1 &
    local srv=$!
    sleep 1
    c -m post -t 50 -e '{"courierId":"JT-0001","pin":"123456"}' "$U/groups/g2/sessions"
    CONSENT='"consent":{"channel":"app","ref":"C-889","at":"'$(now)'","feeTermsAccepted":true}'
    deposit g2 "$(json_field session)" JT0000000009 S 13800001234
    kill "$srv"; wait "$srv" 2>/dev/null
    echo "--- coap-server-notls log: the request from the gateway and its answer"
    grep -E 'c:POST|c:[245]\.' "$WORK/srv.log" | sed 's/^.*\(v:1 \)/\1/' | sed 's/ i:[0-9a-f]* {[0-9a-f]*}//'
    c -m delete "$U/$reg"
}

# -------------------------------------------------------------------------------------------------- DTLS-PSK
part_dtls() {
    say "DTLS-PSK (coaps://, port $COAPS_PORT) / DTLS-PSK 加密"
    local psk="$LG_DATA/secrets/coap-psk.properties"
    # coap-client's -k takes the key as text: pick a printable key, store its bytes as hex.
    local key5='c5-secret-key-0123456789' keyk='kiosk-g1-secret-key-0123'
    echo "\$ echo \"c5=\$(printf %s '$key5' | xxd -p | tr -d '\\n')\" >> $psk"
    echo "c5=$(printf %s "$key5" | xxd -p | tr -d '\n')" >>"$psk"
    echo "kiosk-g1=$(printf %s "$keyk" | xxd -p | tr -d '\n')" >>"$psk"
    sleep 3   # the gateway reloads the file within 2 s
    D='{"vendor":"acme","model":"M1","firmware":"1.4.2","boot":1,"groupId":"g2","compartments":[{"compartment":"51","size":"M","board":1,"channel":1}]}'
    c --dtls -u c5 -k "$key5" -m post -t 50 -e "$D" "$US/rd?ep=c5&lt=60"
    local reg=$LOCATION
    c --dtls -u c5 -k "$key5" -m post "$US/$reg"
    c --dtls -u c5 -k "$key5" -m post -t 50 -e "$D" "$US/rd?ep=c6&lt=60"
    c -m post -t 50 -e "$D" "$U/rd?ep=c5&lt=60"
    c -m post "$U/$reg"
    c --dtls -u c5 -k "$key5" -m post -t 50 -e '{"boot":1,"events":[{"seq":1,"ts":"'$(now)'","type":"door","compartment":"51","closed":true}]}' "$US/cabinets/c5/events"
    c --dtls -u c5 -k "$key5" -m post -t 50 -e '{"boot":1,"events":[{"seq":1,"ts":"'$(now)'","type":"tamper"}]}' "$US/cabinets/c9/events"
    c --dtls -u c5 -k "$key5" "$US/cabinets/c9/state"
    c --dtls -u kiosk-g1 -k "$keyk" -m post -t 50 -e '{"courierId":"ZTO-0001","pin":"123456"}' "$US/groups/g1/sessions"
    echo "--- nothing ties a DTLS identity to a group's kiosk API: the cabinet identity c5 signs a courier in at g1"
    c --dtls -u c5 -k "$key5" -m post -t 50 -e '{"courierId":"YUNDA-0001","pin":"123456"}' "$US/groups/g1/sessions"
    echo "--- an identity without a key: the handshake fails (the gateway logs a WARN naming the identity)"
    c --dtls -B 5 -u c404 -k 'whatever-key-0000000000' -m post "$US/$reg"
    echo "--- a wrong key: the handshake fails, coap-client gets no answer"
    c --dtls -B 5 -u c5 -k 'not-the-right-key-00000' -m post "$US/$reg"
    c --dtls -u c5 -k "$key5" -m delete "$US/$reg"
}

case "${1:-all}" in
    cabinet) part_cabinet ;;
    cbor) part_cbor ;;
    kiosk) part_kiosk ;;
    unlock) part_unlock ;;
    dtls) part_dtls ;;
    all) part_cabinet; part_cbor; part_unlock; part_kiosk; part_dtls ;;
    *) echo "usage: $0 [cabinet|cbor|unlock|kiosk|dtls|all]" >&2; exit 2 ;;
esac
rm -rf "$WORK"
