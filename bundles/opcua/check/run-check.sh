#!/usr/bin/env bash
# Independent check of a running gateway's OPC UA server with node-opcua (pinned in package.json). Not part of
# `mvn verify`: it needs Node.js 20 and the npm registry the first time.
#   bundles/opcua/check/run-check.sh [opc.tcp://127.0.0.1:4840/lockergate] [seconds-to-watch]
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/node-opcua-client ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node node-opcua-check.mjs "${1:-opc.tcp://127.0.0.1:4840/lockergate}" "${2:-10}"
