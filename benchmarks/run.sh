#!/usr/bin/env bash
# Reproduces the rows of docs/benchmarks.md on this machine, each against its peers in the same run.
#
#   benchmarks/run.sh all            every row (about 25 minutes on 2 cores)
#   benchmarks/run.sh b1 [b2 ...]    some rows
#   benchmarks/run.sh b7 --runs 9    more runs of a scenario row (B3, B4's burst, B5, B7)
#
# Row commands (each is `java -cp <benchmarks class path> dev.coldstart.benchmarks.BenchmarkMain <row>`):
#   b1  JMH, single shot: start 10,000 no-op components vs Guava ServiceManager and Spring DefaultLifecycleProcessor
#   b2  JMH, single shot: 200 components with 10-100 ms starts vs the critical path and Spring phases
#   b3  20 demo instances while PostgreSQL is down for 10 s vs fixed 500 ms retries (needs PostgreSQL on 5432)
#   b4  JMH throughput: JWT validation vs plain Nimbus; then 1,000 concurrent unknown kids (JWKS fetches)
#   b5  5,000 WebSocket clients reconnect after a server restart: reconnect policy vs no backoff
#   b6  JMH throughput: message log append + replay vs ArrayBlockingQueue, and vs raw Lettuce (needs Redis on 6379)
#   b7  cold start to READY: demo jar vs Spring Boot peer jar, fresh JVMs (needs PostgreSQL on 5432)
#
# Results are printed and appended to benchmarks/target/results.md. SKIP_BUILD=1 skips the build.
# The machine may be shared: every row prints the load average next to its figures.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -eq 0 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # package: the demo's and the Boot peer's executable jars, and the benchmarks' class path file
  ./mvnw -q -B -pl benchmarks -am package -DskipTests
fi

# Run from a private copy of the class path: other builds in this checkout may rewrite the modules'
# target/ directories while a benchmark runs.
LIB=benchmarks/target/bench-lib
rm -rf "$LIB" && mkdir -p "$LIB"
CP=""
i=0
for entry in $(tr ':' ' ' < benchmarks/target/benchmarks.classpath) benchmarks/target/classes; do
  i=$((i + 1))
  n=$(printf '%03d' "$i")
  if [ -d "$entry" ]; then
    jar cf "$LIB/$n-$(basename "$(dirname "$(dirname "$entry")")").jar" -C "$entry" .
  else
    cp "$entry" "$LIB/$n-$(basename "$entry")"
  fi
done
CP="$(ls "$LIB"/*.jar | tr '\n' ':')"
mkdir -p "$LIB/apps"
cp examples/target/coldstart-demo.jar "$LIB/apps/demo.jar"
cp benchmarks/spring-boot-peer/target/coldstart-benchmarks-spring-boot-peer-*-exec.jar "$LIB/apps/boot.jar"
exec java -Xmx2g -cp "$CP" dev.coldstart.benchmarks.BenchmarkMain "$@" --out benchmarks/target/results.md \
  --demo-jar "$LIB/apps/demo.jar" --boot-jar "$LIB/apps/boot.jar"
