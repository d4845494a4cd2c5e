#!/usr/bin/env bash
# Allocation benchmark (not in CI): QuotaAllocation decisions per second on 20 groups x 200 compartments with
# 3 companies, beside a plain first-free scan of the same lists, in one JVM with the distribution's JVM flags
# (runtime/src/dist/conf/jvm.options). Builds offline with what the module needs; installs nothing.
#   bundles/rules/bench/allocation-bench.sh [runs] [window-ms]        (defaults 5 and 2000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/.." && pwd)
root=$(cd "$module/../.." && pwd)
cp_file=$(mktemp)
(cd "$root" && mvn -B -q -o test-compile dependency:build-classpath -pl bundles/rules -am \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# private copies: a reactor build elsewhere may clean target/ while the benchmark runs
cp -r "$module/target/classes" "$work/classes" && cp -r "$module/target/test-classes" "$work/test-classes"
cp -r "$root/bundles/api/target/classes" "$work/api-classes"
deps=""
IFS=: read -r -a jars < "$cp_file" || true
mkdir -p "$work/lib"
for i in "${!jars[@]}"; do
  if [ -f "${jars[$i]}" ]; then cp "${jars[$i]}" "$work/lib/$i.jar"; deps="$deps:$work/lib/$i.jar"; fi
done
rm -f "$cp_file"
opts=$(sed -e 's/#.*//' "$root/runtime/src/dist/conf/jvm.options" 2>/dev/null | tr '\n' ' ' || true)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
java $opts ${BENCH_JAVA_OPTS:-} -cp "$work/test-classes:$work/classes:$work/api-classes$deps" \
  org.lockergate.rules.internal.alloc.AllocationBenchmark "${1:-5}" "${2:-2000}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
