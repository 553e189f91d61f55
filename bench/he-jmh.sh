#!/usr/bin/env bash
# The HE JMH benchmarks: bench/jmh.sh with BENCH=dev.splitlearn.bench.he. and OUT=bench/target/he-jmh.json
# unless given (the N=8192 and N=16384 parameter sets; extra arguments go to JMH, e.g. -p N=8192).
exec env BENCH="${BENCH:-dev.splitlearn.bench.he.}" OUT="${OUT:-bench/target/he-jmh.json}" "$(dirname "$0")/jmh.sh" "$@"
