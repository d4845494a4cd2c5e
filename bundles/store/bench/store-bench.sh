#!/usr/bin/env bash
# Store benchmark (not in CI): deposit-like transactions per second through the store's group commit at 1, 4, 16
# and 64 writers, beside bare H2 (no sync; CHECKPOINT SYNC per commit; MVStore sync per commit; one sync per 100
# commits), with the JVM flags the distribution ships (runtime/src/dist/conf/jvm.options).
#   bundles/store/bench/store-bench.sh [seconds per run] [runs]        (defaults 3 and 3)
# Also: bundles/store/bench/store-bench.sh --probe   runs H2LostUpdateProbe (the H2 lost update, see README).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
root=$(cd "$module/../.." && pwd)
(cd "$root" && mvn -B -q -o -pl bundles/store -am install -DskipTests)
cp_file=$(mktemp)
(cd "$module" && mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# a private copy of the classes: a reactor build elsewhere may clean target/ while the benchmark runs
cp -r "$module/target/classes" "$work/classes" && cp -r "$module/target/test-classes" "$work/test-classes"
cp="$work/test-classes:$work/classes:$(cat "$cp_file")"
rm -f "$cp_file"
opts=$(sed -e 's/#.*//' "$root/runtime/src/dist/conf/jvm.options" 2>/dev/null | tr '\n' ' ' || true)
if [ "${1:-}" = "--probe" ]; then
  # shellcheck disable=SC2086
  java $opts -cp "$cp" org.lockergate.store.internal.H2LostUpdateProbe "$work/probe"
else
  # shellcheck disable=SC2086
  java $opts -cp "$cp" org.lockergate.store.internal.StoreBenchmark "${1:-3}" "${2:-3}" "$work/db"
fi
