#!/usr/bin/env bash
# Fuzzes every input parser for real (coverage-guided, Jazzer in fuzzing mode), one target after the other.
# `mvn verify` only replays the seed corpus and the earlier findings (regression mode); this is the long run.
#
#   fuzz/fuzz.sh [--seconds N] [--no-build] [Class#method ...]
#     --seconds N   per target (default 300, plus up to 60 s of build check and start-up); each target also
#                   stops at its @FuzzTest maxDuration (10 min)
#     --no-build    use what is built (fuzz/target, the bundles' target/classes)
#   no targets: all of them (list below)
#
# A finding is written by Jazzer to fuzz/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>: from then
# on `mvn verify` replays it as a plain JUnit test. Fix the parser, keep the file (it is the regression test).
# The corpus grown while fuzzing stays in fuzz/.cifuzz-corpus/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=300; build=1; targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(
    'CoapCodecFuzzTest#body'
    'CabinetPayloadFuzzTest#registration'
    'CabinetPayloadFuzzTest#events'
    'KioskPayloadFuzzTest#deposit'
    'KioskPayloadFuzzTest#pickupAndSignIn'
    'KerongFrameFuzzTest#stream'
    'ModbusAnswerFuzzTest#holdingRegisters'
    'CommandEnvelopeFuzzTest#raw'
    'CommandEnvelopeFuzzTest#signed'
    'RestBodyFuzzTest#body'
    'FeatureFileFuzzTest#feature'
    'HolidayFileFuzzTest#arrangements'
    'ConfigImportFuzzTest#document'
  )
fi

if [ "$build" = 1 ]; then
  mvn -B -o -q test-compile -pl fuzz -am
fi

failed=()
for target in "${targets[@]}"; do
  echo "=== fuzzing $target for ${seconds} s"
  # Jazzer fuzzes the first @FuzzTest of the run: one target per run. -am so the reactor's classes are used.
  # the time limit covers the reactor's up-to-date check and the JVM start too (hence + 60 s)
  set +e
  JAZZER_FUZZ=1 timeout --signal=INT "$((seconds + 60))" mvn -B -o -q test -pl fuzz -am \
      -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false
  rc=$?
  set -e
  # 0: the target's own maxDuration ended it; 124: our time limit (timeout); anything else: a finding
  if [ "$rc" != 0 ] && [ "$rc" != 124 ]; then
    failed+=("$target")
  fi
done
echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "Findings (see the crash-* files under fuzz/src/test/resources): ${failed[*]}"
  exit 1
fi
echo "No findings in ${#targets[@]} targets."
