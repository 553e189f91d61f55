#!/usr/bin/env bash
# Side-by-side benchmark of our pure-Java CKKS (module he; the JMH benchmarks of
# bench/src/main/java/dev/splitlearn/bench/he) against Microsoft SEAL 4.4.3 (bench/seal/bench.cpp: the same
# operations on the same parameters and inputs), single thread, measured interleaved on this machine. Prints a
# Markdown table of ours/SEAL ratios of thread CPU time per operation (min / median / max over the rounds).
#
#   bench/seal-vs-java.sh                                   # REPEATS=3 rounds of every operation
#   REPEATS=5 FILTER='CkksBenchmark\.(rotate|rescale)' SIZES=8192 bench/seal-vs-java.sh
#   BUILD_ONLY=1 bench/seal-vs-java.sh                      # only build SEAL, bench.cpp and the Java side
#
# How: SEAL is built once (cmake, the flags of ../shared/third_party/README.md: Release, no HEXL, no compression,
# no -march=native unless SEAL_MARCH_NATIVE=1) into SEAL_CACHE, outside the repository, and bench.cpp is compiled
# against it. Each round runs every selected operation on both sides back to back (SEAL first in odd rounds, ours
# first in even rounds), each side as one JMH-like benchmark: WARMUPS warm-up and ITERATIONS measurement
# iterations of ITER_SECONDS s. Our side is JMH itself with the options of bench/he-jmh.sh (-t 1 -f 1 -bm avgt, one
# fork per benchmark) plus a JMH profiler, compiled by this script into OUT_DIR, that reads the thread CPU time
# of the benchmark thread (ThreadMXBean) around each iteration and divides by the iteration's operations. SEAL's
# side reads clock_gettime(CLOCK_THREAD_CPUTIME_ID). Per round and operation: ratio = median over the
# measurement iterations of ours / the same for SEAL. The wall-clock ratio (JMH's avgt score / SEAL's wall time)
# is shown too, for reference only: the machine is shared.
#
# Environment:
#   REPEATS (3)             rounds
#   FILTER (all)            regexp on <Class>.<method> (CkksBenchmark, NttBenchmark, LinearLayerBenchmark)
#   SIZES (all)             ring degrees N to run, space-separated, e.g. "8192 16384"
#   WARMUPS (3), ITERATIONS (5), ITER_SECONDS (1)   per operation, round and side (as bench/he-jmh.sh);
#                           WARMUPS >= 1 (JMH runs @Setup inside the first iteration)
#   SEAL_ARCHIVE            (<repo>/../shared/third_party/seal-4.4.3-src.tar.xz) the SEAL 4.4.3 source archive
#   SEAL_CACHE              ($HOME/.cache/splitlearn/seal-4.4.3, "-native" appended with SEAL_MARCH_NATIVE=1)
#   SEAL_MARCH_NATIVE (0)   1: build SEAL and bench.cpp with -march=native
#   JOBS (2)                parallel jobs of the one-time SEAL build
#   OUT_DIR                 (bench/target/seal-vs-java) raw results, table.md and results.tsv
#   MVN_OPTS ("-o")         as bench/he-jmh.sh: Maven runs offline
#   BUILD_ONLY (0)          1: stop after building
#   VECTORS (1)             0: run our side without the JDK's vector module (the NTT's scalar stages only)
set -euo pipefail
T0=$(date +%s)
cd "$(dirname "$0")/.."
REPO=$(pwd)
CMD_ENV=""
for v in REPEATS FILTER SIZES WARMUPS ITERATIONS ITER_SECONDS SEAL_ARCHIVE SEAL_CACHE SEAL_MARCH_NATIVE OUT_DIR MVN_OPTS VECTORS; do
    if [[ -n ${!v+x} ]]; then
        val=${!v}
        [[ $val =~ ^[A-Za-z0-9_./:+=-]*$ ]] || val="'${val//\'/\'\\\'\'}'"
        CMD_ENV+="$v=$val "
    fi
done

REPEATS=${REPEATS:-3}
FILTER=${FILTER:-.}
SIZES=${SIZES:-}
WARMUPS=${WARMUPS:-3}
ITERATIONS=${ITERATIONS:-5}
ITER_SECONDS=${ITER_SECONDS:-1}
SEAL_ARCHIVE=${SEAL_ARCHIVE:-$REPO/../shared/third_party/seal-4.4.3-src.tar.xz}
SEAL_MARCH_NATIVE=${SEAL_MARCH_NATIVE:-0}
SEAL_CACHE=${SEAL_CACHE:-$HOME/.cache/splitlearn/seal-4.4.3$([[ $SEAL_MARCH_NATIVE == 1 ]] && echo -native || true)}
JOBS=${JOBS:-2}
OUT_DIR=${OUT_DIR:-bench/target/seal-vs-java}
MVN_OPTS=${MVN_OPTS:--o}
BUILD_ONLY=${BUILD_ONLY:-0}
VECTORS=${VECTORS:-1}
# as the launcher and the tests: the NTT's wide stages run on AVX-512 vectors where the JVM has them (SubRing)
JAVA_OPTS=()
[[ $VECTORS == 1 ]] && JAVA_OPTS=(--add-modules jdk.incubator.vector)
SEAL_SHA256=2f8ac2fa8b491940967e44829ffef2472a63a8cc5d205324be6336e15f3199f9

die() {
    echo "seal-vs-java: error: $*" >&2
    exit 1
}
log() {
    echo "[seal-vs-java $(date +%H:%M:%S)] $*" >&2
}

# ------------------------------------------------------------------ checks
if [[ ! -f $SEAL_ARCHIVE ]]; then
    die "SEAL source archive not found: $SEAL_ARCHIVE
  This benchmark builds Microsoft SEAL 4.4.3 from that archive (this machine cannot download it); see
  ../shared/third_party/README.md, or set SEAL_ARCHIVE=/path/to/seal-4.4.3-src.tar.xz."
fi
for tool in cmake g++ java javac mvn python3 sha256sum tar xz; do
    command -v "$tool" > /dev/null || die "'$tool' is needed and not on the PATH"
done
[[ $REPEATS =~ ^[1-9][0-9]*$ ]] || die "REPEATS must be a positive integer, got '$REPEATS'"
# At least one warm-up iteration: JMH runs the benchmark's @Setup (key generation) in the first iteration.
[[ $WARMUPS =~ ^[1-9][0-9]*$ && $ITERATIONS =~ ^[1-9][0-9]*$ ]] || die "WARMUPS and ITERATIONS must be >= 1"
ITER_MS=$(python3 -c "import sys; v = round(float(sys.argv[1]) * 1000); assert v > 0; print(v)" "$ITER_SECONDS") ||
    die "ITER_SECONDS must be a positive number of seconds, got '$ITER_SECONDS'"
case $SEAL_MARCH_NATIVE in 0 | 1) ;; *) die "SEAL_MARCH_NATIVE must be 0 or 1" ;; esac
SEAL_ARCHIVE=$(cd "$(dirname "$SEAL_ARCHIVE")" && pwd)/$(basename "$SEAL_ARCHIVE")
mkdir -p "$OUT_DIR"
OUT_DIR=$(cd "$OUT_DIR" && pwd)

# ------------------------------------------------------------------ SEAL, built once into SEAL_CACHE
CXX_EXTRA=""
[[ $SEAL_MARCH_NATIVE == 1 ]] && CXX_EXTRA="-march=native"
SEAL_SRC=$SEAL_CACHE/src/SEAL-4.4.3
SEAL_BUILD=$SEAL_CACHE/build
SEAL_LIB=$SEAL_BUILD/lib/libseal-4.4.a
CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release -DSEAL_USE_INTEL_HEXL=OFF -DSEAL_BUILD_DEPS=OFF -DSEAL_USE_MSGSL=OFF
    -DSEAL_USE_ZLIB=OFF -DSEAL_USE_ZSTD=OFF -DSEAL_BUILD_EXAMPLES=OFF -DSEAL_BUILD_TESTS=OFF -DSEAL_BUILD_BENCH=OFF
    "-DCMAKE_CXX_FLAGS=$CXX_EXTRA")
STAMP="sha256=$SEAL_SHA256 cmake=${CMAKE_ARGS[*]} cxx=$(g++ -dumpfullversion)"
if [[ -f $SEAL_LIB && -f $SEAL_CACHE/build.stamp && "$(cat "$SEAL_CACHE/build.stamp")" == "$STAMP" ]]; then
    log "SEAL: using the build in $SEAL_BUILD"
else
    log "SEAL: checking $SEAL_ARCHIVE"
    sum=$(sha256sum "$SEAL_ARCHIVE" | cut -d' ' -f1)
    [[ $sum == "$SEAL_SHA256" ]] || die "SHA-256 of $SEAL_ARCHIVE is $sum, expected $SEAL_SHA256 (SEAL 4.4.3, see ../shared/third_party/README.md)"
    log "SEAL: building into $SEAL_CACHE (once; about a minute on 2 cores)"
    rm -rf "$SEAL_CACHE/src" "$SEAL_BUILD" "$SEAL_CACHE/build.stamp"
    mkdir -p "$SEAL_CACHE/src"
    tar -xJf "$SEAL_ARCHIVE" -C "$SEAL_CACHE/src"
    [[ -d $SEAL_SRC ]] || die "the archive did not contain SEAL-4.4.3/"
    cmake -S "$SEAL_SRC" -B "$SEAL_BUILD" "${CMAKE_ARGS[@]}" > "$SEAL_CACHE/cmake.log" 2>&1 ||
        die "cmake configure failed, see $SEAL_CACHE/cmake.log"
    cmake --build "$SEAL_BUILD" -j"$JOBS" >> "$SEAL_CACHE/cmake.log" 2>&1 ||
        die "SEAL build failed, see $SEAL_CACHE/cmake.log"
    echo "$STAMP" > "$SEAL_CACHE/build.stamp"
fi
SEAL_FLAGS=$(sed -n 's/^CXX_FLAGS = //p' "$SEAL_BUILD/CMakeFiles/seal.dir/flags.make")
SEAL_CONFIG=$(grep -o '#define SEAL_\(USE_INTRIN\|USE___INT128\|USE__ADDCARRY_U64\|USE_INTEL_HEXL\|DEFAULT_PRNG [A-Za-z0-9]*\|USE_GAUSSIAN_NOISE\)' \
    "$SEAL_BUILD/native/src/seal/util/config.h" | sed 's/#define //' | tr '\n' ' ')

log "SEAL: library compiled with '$SEAL_FLAGS' (${CXX_EXTRA:-no -march=native}); $SEAL_CONFIG"
BENCH_SRC=$REPO/bench/seal/bench.cpp
BENCH_BIN=$SEAL_CACHE/bin/seal-bench
BENCH_FLAGS="-O3 -std=c++17${CXX_EXTRA:+ $CXX_EXTRA}"
BENCH_CMD="g++ $BENCH_FLAGS '-DSEAL_BENCH_CXXFLAGS=\"$BENCH_FLAGS\"' -I$SEAL_SRC/native/src -I$SEAL_BUILD/native/src bench/seal/bench.cpp $SEAL_LIB -o $BENCH_BIN"
BENCH_STAMP="$(sha256sum "$BENCH_SRC" | cut -d' ' -f1) $BENCH_CMD $STAMP"
if [[ -x $BENCH_BIN && -f $BENCH_BIN.stamp && "$(cat "$BENCH_BIN.stamp")" == "$BENCH_STAMP" ]]; then
    log "bench.cpp: up to date ($BENCH_BIN)"
else
    log "bench.cpp: $BENCH_CMD"
    mkdir -p "$SEAL_CACHE/bin"
    # shellcheck disable=SC2086
    g++ $BENCH_FLAGS "-DSEAL_BENCH_CXXFLAGS=\"$BENCH_FLAGS\"" -I"$SEAL_SRC/native/src" -I"$SEAL_BUILD/native/src" \
        "$BENCH_SRC" "$SEAL_LIB" -o "$BENCH_BIN" || die "compiling bench/seal/bench.cpp failed"
    echo "$BENCH_STAMP" > "$BENCH_BIN.stamp"
fi

# ------------------------------------------------------------------ our side: he + bench modules, JMH, a profiler
log "Java: mvn $MVN_OPTS package (he, bench)"
# The same build as bench/he-jmh.sh.
# shellcheck disable=SC2086
if ! mvn -q -B -Dstyle.color=never $MVN_OPTS -pl he,bench -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/jmh.classpath -DincludeScope=runtime > "$OUT_DIR/mvn.log" 2>&1; then
    cat "$OUT_DIR/mvn.log" >&2
    die "Maven build failed (MVN_OPTS='$MVN_OPTS'), see $OUT_DIR/mvn.log"
fi
JMH_CP="bench/target/classes:$(cat bench/target/jmh.classpath)"

# A JMH profiler for thread CPU time. It is generated here (not part of the bench module) and compiled into OUT_DIR.
PROF_DIR=$OUT_DIR/profiler
mkdir -p "$PROF_DIR/src/sealvsjava"
cat > "$PROF_DIR/src/sealvsjava/ThreadCpuProfiler.java" << 'JAVA'
package sealvsjava;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Thread CPU time per operation of the JMH worker threads ("...-jmh-worker-N"), from ThreadMXBean, read just
 * before the iteration's tasks are submitted and just after they finish, divided by all the operations the
 * workers ran in between (measured ones and those of the synchronisation phases around them). Also reports the
 * share of that wall time the workers were on a CPU (1.0 per thread when never descheduled), and the CPU time of
 * the whole JVM per operation (with the JIT compiler, the garbage collector and JMH's own threads).
 */
public final class ThreadCpuProfiler implements InternalProfiler {
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<Long, Long> before = new HashMap<>();
    private long wallBefore;
    private long processBefore;

    public ThreadCpuProfiler() {
        if (!mx.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported by this JVM");
        }
        mx.setThreadCpuTimeEnabled(true);
    }

    @Override
    public String getDescription() {
        return "thread CPU time per operation of the benchmark threads (ThreadMXBean)";
    }

    private Map<Long, Long> workers() {
        Map<Long, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains("-jmh-worker-")) {
                long c = mx.getThreadCpuTime(t.getId());
                if (c >= 0) {
                    m.put(t.getId(), c);
                }
            }
        }
        return m;
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = workers();
        processBefore = os.getProcessCpuTime();
        wallBefore = System.nanoTime();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long wall = System.nanoTime() - wallBefore;
        long process = os.getProcessCpuTime() - processBefore;
        Map<Long, Long> after = workers();
        long cpu = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            cpu += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        boolean lost = !after.keySet().containsAll(before.keySet());
        long ops = result.getMetadata().getAllOps();
        double perOp = ops > 0 && !lost && !after.isEmpty() ? cpu / 1e3 / ops : Double.NaN;
        return List.of(
                new ScalarResult("thread.cpu", perOp, "us/op", AggregationPolicy.AVG),
                new ScalarResult("thread.cpu.share", (double) cpu / wall, "cpu/wall", AggregationPolicy.AVG),
                new ScalarResult("process.cpu", ops > 0 ? process / 1e3 / ops : Double.NaN, "us/op", AggregationPolicy.AVG),
                new ScalarResult("thread.cpu.ops", ops, "ops", AggregationPolicy.SUM));
    }
}
JAVA
# And a printer of our moduli for the parameter sets the benchmark classes name, to check that both sides use the
# same primes.
cat > "$PROF_DIR/src/sealvsjava/PrintModuli.java" << 'JAVA'
package sealvsjava;

import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import java.util.Arrays;

/** Prints "Class N Q P logScale" for the sets of AbstractPrimitiveBenchmark and LinearLayerBenchmark. */
public final class PrintModuli {
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("vectors")) { // whether the NTT runs on vectors in this JVM
            System.out.println(dev.splitlearn.he.ring.SubRing.VECTORS);
            return;
        }
        for (String c : new String[] {"CkksBenchmark", "NttBenchmark"}) {
            print(c, ParameterSets.N8192_QP_60_40_40_60);
            print(c, ParameterSets.N16384_QP_60_40X7_60);
        }
        print("LinearLayerBenchmark", ParameterSets.SPLIT_N4096_Q45_30);
        print("LinearLayerBenchmark", ParameterSets.SPLIT_N8192_Q45_30_P55);
    }

    private static void print(String cls, ParametersLiteral lit) {
        Parameters p = Parameters.fromLiteral(lit);
        System.out.println(cls + " " + p.n() + " " + Arrays.toString(p.qPrimes()).replace(" ", "") + " "
                + Arrays.toString(p.pPrimes()).replace(" ", "") + " " + lit.logDefaultScale());
    }
}
JAVA
javac -nowarn -d "$PROF_DIR/classes" -cp "$JMH_CP" "$PROF_DIR/src/sealvsjava/ThreadCpuProfiler.java" \
    "$PROF_DIR/src/sealvsjava/PrintModuli.java" || die "compiling the thread CPU time profiler failed"
RUN_CP="$JMH_CP:$PROF_DIR/classes"
JMH_OPTS=(-t 1 -f 1 -wi "$WARMUPS" -w "${ITER_MS}ms" -i "$ITERATIONS" -r "${ITER_MS}ms" -tu us -bm avgt
    -prof sealvsjava.ThreadCpuProfiler)

if [[ $BUILD_ONLY == 1 ]]; then
    log "BUILD_ONLY=1: built $BENCH_BIN and the Java side; SEAL flags: $SEAL_FLAGS; bench.cpp: $BENCH_FLAGS"
    exit 0
fi

# ------------------------------------------------------------------ what runs: the operations both sides have
RAW=$OUT_DIR/raw
rm -rf "$RAW"
mkdir -p "$RAW"
"$BENCH_BIN" --list > "$RAW/seal-list.txt"
java "${JAVA_OPTS[@]}" -cp "$RUN_CP" sealvsjava.PrintModuli > "$RAW/java-moduli.txt"
NTT_VECTORS=$(java "${JAVA_OPTS[@]}" -cp "$RUN_CP" sealvsjava.PrintModuli vectors 2> /dev/null)
java "${JAVA_OPTS[@]}" -cp "$RUN_CP" org.openjdk.jmh.Main -lp 'dev\.splitlearn\.bench\.he\.' > "$RAW/jmh-list.txt"
python3 - "$RAW" "$FILTER" "$SIZES" > "$RAW/plan.txt" << 'PY'
import re, sys
raw, flt, sizes = sys.argv[1], re.compile(sys.argv[2]), sys.argv[3].split()
seal = {tuple(l.split()) for l in open(f"{raw}/seal-list.txt") if l.strip()}
java, name = set(), None
for line in open(f"{raw}/jmh-list.txt"):
    m = re.match(r"^\s*dev\.splitlearn\.bench\.he\.(\S+)$", line)
    if m:
        name = m.group(1)
        continue
    m = re.match(r'^\s*param "N" = \{(.*)\}', line)
    if m and name:
        for n in m.group(1).split(","):
            java.add((name, n.strip()))
for side, only in (("SEAL", seal - java), ("JMH", java - seal)):
    for op, n in sorted(only):
        print(f"# only on the {side} side (not compared): {op} N={n}")
for op, n in sorted(seal & java, key=lambda t: (t[0], int(t[1]))):
    if flt.search(op) and (not sizes or n in sizes):
        print(op, n)
PY
grep '^#' "$RAW/plan.txt" >&2 || true
mapfile -t PLAN < <(grep -v '^#' "$RAW/plan.txt")
((${#PLAN[@]} > 0)) || die "no operation matches FILTER='$FILTER' SIZES='$SIZES'"
log "${#PLAN[@]} operations x $REPEATS rounds x 2 sides, $WARMUPS+$ITERATIONS iterations of ${ITER_SECONDS}s each"

run_seal() { # round op n
    "$BENCH_BIN" --filter "^${2//./\\.}\$" --n "$3" --warmups "$WARMUPS" --iterations "$ITERATIONS" \
        --seconds "$ITER_SECONDS" --raw > "$RAW/seal-r$1-$2-$3.txt" 2> "$RAW/seal-r$1-$2-$3.err" ||
        die "SEAL bench failed for $2 N=$3, see $RAW/seal-r$1-$2-$3.err"
}
run_java() { # round op n
    java "${JAVA_OPTS[@]}" -cp "$RUN_CP" org.openjdk.jmh.Main "^dev\\.splitlearn\\.bench\\.he\\.${2//./\\.}\$" -p "N=$3" \
        "${JMH_OPTS[@]}" -rf json -rff "$RAW/jmh-r$1-$2-$3.json" > "$RAW/jmh-r$1-$2-$3.txt" 2>&1 ||
        die "JMH failed for $2 N=$3, see $RAW/jmh-r$1-$2-$3.txt"
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= REPEATS; r++)); do
    for entry in "${PLAN[@]}"; do
        read -r op n <<< "$entry"
        log "round $r/$REPEATS: $op N=$n"
        if ((r % 2 == 1)); then
            run_seal "$r" "$op" "$n"
            run_java "$r" "$op" "$n"
        else
            run_java "$r" "$op" "$n"
            run_seal "$r" "$op" "$n"
        fi
    done
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
T1=$(date +%s)

# ------------------------------------------------------------------ the table
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
export CPU_MODEL LOAD_START LOAD_END SEAL_FLAGS SEAL_CONFIG BENCH_FLAGS BENCH_CMD REPEATS WARMUPS ITERATIONS ITER_SECONDS
export CORES=$(nproc) JAVA_VERSION=$(java -version 2>&1 | head -1) GXX=$(g++ --version | head -1)
export DURATION=$((T1 - T0)) COMMAND="${CMD_ENV}bench/seal-vs-java.sh"
export NTT_VECTORS
export JMH_CMD="java ${JAVA_OPTS[*]}${JAVA_OPTS:+ }-cp bench/target/classes:\$(cat bench/target/jmh.classpath):$PROF_DIR/classes org.openjdk.jmh.Main '^dev\\.splitlearn\\.bench\\.he\\.<Class>\\.<op>\$' -p N=<N> ${JMH_OPTS[*]}"
export SEAL_RUN="$BENCH_BIN --filter '^<Class>\\.<op>\$' --n <N> --warmups $WARMUPS --iterations $ITERATIONS --seconds $ITER_SECONDS"
export SEAL_CACHE SEAL_MARCH_NATIVE
python3 - "$RAW" "$OUT_DIR" "$REPEATS" > "$OUT_DIR/table.md" << 'PY'
import json, os, re, statistics as st, sys, time
raw, out, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
E = os.environ
plan = [tuple(l.split()) for l in open(f"{raw}/plan.txt") if l.strip() and not l.startswith("#")]
skipped = [l.strip()[2:] for l in open(f"{raw}/plan.txt") if l.startswith("#")]
notes = {
    "LinearLayerBenchmark.encodeWeightsPeriodic": "a",
    "LinearLayerBenchmark.evaluateLayer": "a",
    "CkksBenchmark.encryptSecret": "b",
    "LinearLayerBenchmark.encryptBatch": "b",
}


def fmt(x):
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def flat(metric):
    return [v for fork in metric["rawData"] for v in fork]


rows, seal_params = [], {}
tsv = ["round\top\tN\tours_cpu_us\tseal_cpu_us\tratio_cpu\tours_cpu_min_us\tseal_cpu_min_us\tours_process_cpu_us"
       "\tours_wall_us\tseal_wall_us\tratio_wall\tours_cpu_share\tseal_cpu_share"]
for op, n in plan:
    rc, rw, rp, oc, sc, omin, smin, osh, ssh = [], [], [], [], [], [], [], [], []
    for r in range(1, repeats + 1):
        lines = open(f"{raw}/seal-r{r}-{op}-{n}.txt").read().splitlines()
        for l in lines:
            m = re.match(r"# params (\S+) N=(\d+) coeff_modulus=\[(.*?)\].* scale=2\^(\S+)", l)
            if m:
                seal_params[(m.group(1), m.group(2))] = ([int(x.split()[0]) for x in m.group(3).split(", ")], m.group(4))
        sl = [l.split() for l in lines if l and not l.startswith("#")]
        assert len(sl) == 1 and sl[0][0] == op and sl[0][1] == n, (op, n, sl)
        s_cpu, s_min, s_wall = float(sl[0][2]), float(sl[0][3]), float(sl[0][5])
        js = json.load(open(f"{raw}/jmh-r{r}-{op}-{n}.json"))
        assert len(js) == 1 and js[0]["params"]["N"] == n, (op, n)
        j = js[0]
        assert j["threads"] == 1 and j["forks"] == 1 and j["mode"] == "avgt", (op, n)
        sec = j["secondaryMetrics"]
        assert sec["thread.cpu"]["scoreUnit"] == "us/op" and j["primaryMetric"]["scoreUnit"] == "us/op"
        cpu_it, wall_it = flat(sec["thread.cpu"]), flat(j["primaryMetric"])
        if any(v != v for v in cpu_it):
            sys.exit(f"no thread CPU time for {op} N={n} in round {r}")
        o_cpu, o_wall, o_proc = st.median(cpu_it), st.median(wall_it), st.median(flat(sec["process.cpu"]))
        rc.append(o_cpu / s_cpu), rw.append(o_wall / s_wall), rp.append(o_proc / s_cpu)
        oc.append(o_cpu), sc.append(s_cpu), omin.append(min(cpu_it)), smin.append(s_min)
        osh.append(st.median(flat(sec["thread.cpu.share"]))), ssh.append(s_cpu / s_wall)
        tsv.append(f"{r}\t{op}\t{n}\t{o_cpu:.3f}\t{s_cpu:.3f}\t{o_cpu / s_cpu:.4f}\t{min(cpu_it):.3f}\t{s_min:.3f}"
                   f"\t{o_proc:.3f}\t{o_wall:.3f}\t{s_wall:.3f}\t{o_wall / s_wall:.4f}\t{osh[-1]:.3f}\t{ssh[-1]:.3f}")
    mark = f" ({notes[op]})" if op in notes else ""
    rows.append(f"| {op}{mark} | {n} | {fmt(st.median(oc))} | {fmt(st.median(sc))} | {min(rc):.2f} | **{st.median(rc):.2f}** "
                f"| {max(rc):.2f} | {min(omin) / min(smin):.2f} | {st.median(rp):.2f} | {st.median(rw):.2f} "
                f"| {min(osh):.2f} / {min(ssh):.2f} |")
open(f"{out}/results.tsv", "w").write("\n".join(tsv) + "\n")

# the moduli of both sides
checks = []
for l in open(f"{raw}/java-moduli.txt"):
    cls, n, q, p, log_scale = l.split()
    q = [int(x) for x in q.strip("[]").split(",") if x]
    p = [int(x) for x in p.strip("[]").split(",") if x]
    if (cls, n) not in seal_params:
        continue
    sm, s_scale = seal_params[(cls, n)]
    scale_ok = cls == "NttBenchmark" or s_scale == log_scale
    if p:
        same = sm == q + p
        checks.append(f"{cls} N={n}: Q = {q}, P = {p}: " + ("identical to SEAL's" if same and scale_ok else f"DIFFERENT from SEAL's {sm} (scale 2^{s_scale})"))
    else:
        same = sm[:-1] == q
        checks.append(f"{cls} N={n}: Q = {q}, no P: " + (f"identical to SEAL's data level; SEAL's special prime {sm[-1]} is unused" if same and scale_ok else f"DIFFERENT from SEAL's {sm} (scale 2^{s_scale})"))
    if not cls == "NttBenchmark":
        checks[-1] += f", scale 2^{log_scale}"

p = print
p("## Our CKKS (pure Java) against Microsoft SEAL 4.4.3: single thread, thread CPU time, interleaved\n")
p(f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}. Machine: {E['CPU_MODEL']}, {E['CORES']} cores, shared (load average "
  f"{E['LOAD_START']} at the start, {E['LOAD_END']} at the end). {E['JAVA_VERSION']}; {E['GXX']}. "
  f"Our NTT's wide stages on AVX-512 vectors (`SubRing.VECTORS`): {E['NTT_VECTORS']}. "
  f"Took {int(E['DURATION']) // 60} min {int(E['DURATION']) % 60} s (including builds).\n")
p("Command:\n\n```bash\n" + E["COMMAND"] + "\n```\n")
p(f"Each of the {repeats} rounds runs every operation on both sides back to back (SEAL first in odd rounds, ours "
  f"first in even rounds); each run is {E['WARMUPS']} warm-up + {E['ITERATIONS']} measurement iterations of "
  f"{E['ITER_SECONDS']} s on one thread. Per round, ratio = ours / SEAL of the median over the measurement "
  f"iterations of thread CPU time per operation; `ratio min / median / max` are over the rounds (below 1: ours "
  f"is faster). `ours, us` and `SEAL, us`: medians over the rounds of thread CPU time per operation, in "
  f"microseconds. `best`: fastest measurement iteration of ours over all rounds / the same for SEAL (the least "
  f"disturbed runs). `process`: ours counting the CPU time of the whole JVM (JIT compiler, garbage collector, "
  f"JMH threads) / SEAL. `wall`: ratio of wall-clock times (JMH's avgt score / SEAL's), median over rounds, for "
  f"reference only: the machine is shared. `CPU share`: the lowest fraction of the wall time that the benchmark "
  f"thread was on a CPU, over the rounds, ours / SEAL (1.00: never descheduled).\n")
p("| operation | N | ours, us | SEAL, us | ratio min | ratio median | ratio max | best | process | wall | CPU share ours / SEAL |")
p("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    p(r)
p("\n(a) Not the same algorithm: the weight plaintexts are encoded by our `PeriodicEncoder` (`evaluateLayer` encodes "
  "6 of them per batch) and by SEAL's general `CKKSEncoder::encode` of the same slot vectors, which gives the same "
  "plaintexts: SEAL has no encoder for periodic vectors. `encodeWeightsGeneral` is the like-for-like encoding. "
  "(b) Ours is seeded (a = expand(seed), the seed is kept for a compact serialisation); SEAL's "
  "`encrypt_symmetric(plain, destination)` does the same computation (a sampled in NTT form from a fresh seed) "
  "and does not keep the seed. Encryption, key generation and masks use each library's own generators: ours "
  "AES-256-CTR and a discrete Gaussian (sigma 3.2, table inversion), SEAL Blake2xb and a centred binomial "
  "(sigma 3.2).\n")
if skipped:
    p("Not compared: " + "; ".join(skipped) + ".\n")
p("Moduli (ours from `Parameters.fromLiteral`; SEAL's built by bench.cpp with our assignment rule from SEAL's "
  "`util::get_primes`, as `CoeffModulus::Create` would hand the same primes out in another order):\n")
for c in checks:
    p(f"- {c}")
p("\nBuilds and commands:\n")
p(f"- SEAL 4.4.3 in `{E['SEAL_CACHE']}`: cmake `-DCMAKE_BUILD_TYPE=Release -DSEAL_USE_INTEL_HEXL=OFF -DSEAL_BUILD_DEPS=OFF "
  f"-DSEAL_USE_MSGSL=OFF -DSEAL_USE_ZLIB=OFF -DSEAL_USE_ZSTD=OFF -DSEAL_BUILD_EXAMPLES=OFF -DSEAL_BUILD_TESTS=OFF "
  f"-DSEAL_BUILD_BENCH=OFF`; the library was compiled with `{E['SEAL_FLAGS']}` "
  f"({'with -march=native: SEAL_MARCH_NATIVE=1' if E['SEAL_MARCH_NATIVE'] == '1' else 'no -march=native'}); "
  f"config.h: `{E['SEAL_CONFIG'].strip()}`.")
p(f"- bench.cpp: `{E['BENCH_CMD']}`")
p(f"- SEAL side, per operation and round: `{E['SEAL_RUN']}`")
p(f"- our side, per operation and round (JMH with the options of bench/he-jmh.sh and a thread CPU time profiler "
  f"generated by the script): `{E['JMH_CMD']}`")
p(f"- raw outputs: `{raw}`; per round and operation: `{out}/results.tsv`")
PY
cat "$OUT_DIR/table.md"
log "done in $((T1 - T0)) s; table in $OUT_DIR/table.md"
