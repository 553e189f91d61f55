#!/usr/bin/env bash
# Builds the bench module (and what it uses) and runs JMH benchmarks single-threaded, writing JSON results.
#
#   bench/jmh.sh                                        # every benchmark of dev.splitlearn.bench
#   BENCH=dev.splitlearn.bench.wire. bench/jmh.sh       # the transports (in process, gRPC on loopback)
#   bench/jmh.sh -p N=8192                              # extra arguments go to JMH (org.openjdk.jmh.Main -h lists them)
#   BENCH='CkksBenchmark.rotate' bench/jmh.sh
#
# Environment: BENCH (regexp, default: all of dev.splitlearn.bench), OUT (JSON file, default
# bench/target/jmh.json), WARMUPS (3) and ITERATIONS (5) of 1 s each, MVN_OPTS (default "-o": offline; set
# it to "" the first time if JMH is not in the local Maven repository yet). bench/he-jmh.sh runs the HE ones.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=${BENCH:-dev.splitlearn.bench.}
OUT=${OUT:-bench/target/jmh.json}
MVN_OPTS=${MVN_OPTS:--o}
WARMUPS=${WARMUPS:-3}
ITERATIONS=${ITERATIONS:-5}
# shellcheck disable=SC2086
mvn -q -B $MVN_OPTS -pl bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/jmh.classpath -DincludeScope=runtime
CP="bench/target/classes:$(cat bench/target/jmh.classpath)"
mkdir -p "$(dirname "$OUT")"
# the JDK's vector module, as for the launcher and the tests: the NTT runs on AVX-512 where the CPU has it; JMH's
# forks inherit the option
exec java --add-modules jdk.incubator.vector -cp "$CP" org.openjdk.jmh.Main "$BENCH" -t 1 -f 1 -wi "$WARMUPS" -w 1 -i "$ITERATIONS" -r 1 -tu ms \
    -bm avgt -rf json -rff "$OUT" "$@"
