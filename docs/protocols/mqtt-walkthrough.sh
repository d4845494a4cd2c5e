#!/usr/bin/env bash
# LockerGate cloud sync over MQTT — walkthrough with mosquitto_sub / mosquitto_pub and openssl.
# 用 mosquitto_sub / mosquitto_pub 和 openssl 演示 LockerGate 的 MQTT 云同步（见 mqtt.md）。
#
# Needs: mosquitto, mosquitto-clients, openssl 3 (Ed25519 with -rawin), jq, base64, xxd.
#
#   docs/protocols/mqtt-walkthrough.sh keys             # a cloud key pair (Ed25519) and a gateway HMAC secret
#   docs/protocols/mqtt-walkthrough.sh broker           # a private Mosquitto on 127.0.0.1:$PORT (foreground)
#   # then the gateway, with the cloud's public key in its configuration (the line 'keys' printed):
#   cp -r runtime/target/lockergate /tmp/lg-mqtt && cp "$KEYS/org.lockergate.upstream.mqtt.config" /tmp/lg-mqtt/conf/config/
#   LOCKERGATE_MQTT_URL=tcp://127.0.0.1:$PORT LOCKERGATE_GATEWAY_ID=$GW_ID LOCKERGATE_HTTP_PORT=0 \
#     LOCKERGATE_COAP_PORT=0 LOCKERGATE_COAPS_PORT=0 LOCKERGATE_OPCUA_PORT=0 /tmp/lg-mqtt/bin/lockergate --demo &
#   docs/protocols/mqtt-walkthrough.sh watch [seconds]  # what the gateway publishes (status, events, alarms, telemetry)
#   docs/protocols/mqtt-walkthrough.sh cmd <name> '<args json>' [lifetime s] [hs256]   # a signed command and its reply
#   docs/protocols/mqtt-walkthrough.sh refusals         # bad signature, expired, replayed
#
# Environment (defaults in brackets): PORT [18830]  GW_ID [gw-demo]  KEYS [/tmp/lg-mqtt-keys]
set -u
PORT=${PORT:-18830}
GW_ID=${GW_ID:-gw-demo}
KEYS=${KEYS:-/tmp/lg-mqtt-keys}
ROOT="lockergate/v1/$GW_ID"

keys() {
  mkdir -p "$KEYS" && chmod 700 "$KEYS"
  # the cloud's signing key (it never leaves the cloud) and its public key for the gateway's configuration
  openssl genpkey -algorithm ed25519 -out "$KEYS/cloud.key"
  pub=$(openssl pkey -in "$KEYS/cloud.key" -pubout -outform DER | base64 -w0)
  printf 'cloudPublicKeys=["cloud-1=%s"]\n' "$pub" > "$KEYS/org.lockergate.upstream.mqtt.config"
  # a stranger's key, to show a bad signature
  openssl genpkey -algorithm ed25519 -out "$KEYS/stranger.key"
  # the per-gateway HMAC secret (HS256): the same bytes in the cloud and in {data}/secrets/mqtt-command-hmac
  openssl rand -base64 32 > "$KEYS/mqtt-command-hmac"
  cat "$KEYS/org.lockergate.upstream.mqtt.config"
}

broker() {
  mkdir -p "$KEYS/broker"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nuser %s\n' \
    "$PORT" "$KEYS/broker" "$(id -un)" > "$KEYS/broker/mosquitto.conf"
  exec mosquitto -c "$KEYS/broker/mosquitto.conf"
}

watch() {
  # -v prints the topic; a cloud consumer would use a persistent session: -c -i county-platform -q 1
  mosquitto_sub -p "$PORT" -v -q 1 -t "$ROOT/status" -t "$ROOT/events/#" -t "$ROOT/alarms/#" -t "$ROOT/telemetry" \
    -W "${1:-15}"
}

# cmd <name> <args-json> [lifetime seconds] [hs256|stranger] [requestId] [issuedAt offset seconds]
cmd() {
  name=$1; args=$2; life=${3:-60}; mode=${4:-ed25519}; rid=${5:-r-$(date +%s%N)}; shift_s=${6:-0}
  issued=$(date -u -d "@$(( $(date +%s) + shift_s ))" +%Y-%m-%dT%H:%M:%SZ)
  expires=$(date -u -d "@$(( $(date +%s) + shift_s + life ))" +%Y-%m-%dT%H:%M:%SZ)
  jq -cnj --arg r "$rid" --arg c "$name" --arg g "$GW_ID" --arg i "$issued" --arg e "$expires" --argjson a "$args" \
    '{requestId:$r,command:$c,gatewayId:$g,issuedAt:$i,expiresAt:$e,args:$a}' > "$KEYS/payload.json"
  # the signature covers exactly these bytes; the envelope carries them base64-encoded
  case $mode in
    hs256)
      sig=$(openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(base64 -d "$KEYS/mqtt-command-hmac" | xxd -p -c 256)" \
        -binary "$KEYS/payload.json" | base64 -w0); alg=HS256; kid=gateway ;;
    stranger)
      sig=$(openssl pkeyutl -sign -inkey "$KEYS/stranger.key" -rawin -in "$KEYS/payload.json" | base64 -w0)
      alg=Ed25519; kid=cloud-1 ;;
    *)
      sig=$(openssl pkeyutl -sign -inkey "$KEYS/cloud.key" -rawin -in "$KEYS/payload.json" | base64 -w0)
      alg=Ed25519; kid=cloud-1 ;;
  esac
  envelope=$(jq -cn --arg a "$alg" --arg k "$kid" --arg p "$(base64 -w0 < "$KEYS/payload.json")" --arg s "$sig" \
    '{alg:$a,kid:$k,payload:$p,sig:$s}')
  echo "# cmd/$name $(cat "$KEYS/payload.json")"
  mosquitto_sub -p "$PORT" -q 1 -t "$ROOT/reply/$rid" -C 1 -W 15 & sub=$!
  sleep 0.5
  mosquitto_pub -p "$PORT" -q 1 -t "$ROOT/cmd/$name" -m "$envelope"
  wait $sub
}

refusals() {
  cmd diagnostics '{}' 60 stranger r-forged-1          # 403 bad_signature
  cmd diagnostics '{}' 60 ed25519 r-old-1 -120          # 403 expired (issued 2 min ago, lived 1 min)
  cmd diagnostics '{}' 60 ed25519 r-once-1 >/dev/null   # 200 ...
  cmd diagnostics '{}' 60 ed25519 r-once-1              # ... and the same requestId again: 409 replayed
}

case "${1:-}" in
  keys) keys ;;
  broker) broker ;;
  watch) watch "${2:-15}" ;;
  cmd) shift; cmd "$@" ;;
  refusals) refusals ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
