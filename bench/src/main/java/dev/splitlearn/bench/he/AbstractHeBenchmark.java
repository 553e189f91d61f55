package dev.splitlearn.bench.he;

import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared JMH settings for the HE benchmarks: single thread, average time in ms/op, one fork, modest iterations
 * (the benchmark machine is shared). The {@code N} parameter selects the parameter set:
 * 8192 = {@link ParameterSets#N8192_QP_60_40_40_60} (SEAL's [60, 40, 40, 60]), 16384 =
 * {@link ParameterSets#N16384_QP_60_40X7_60}. Results are named {@code <Benchmark>.<op>} with {@code N=...}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class AbstractHeBenchmark {

    /** Ring degree N. */
    @Param({"8192", "16384"})
    public int N;

    /** @return the parameters selected by {@link #N} */
    protected Parameters parameters() {
        ParametersLiteral lit;
        switch (N) {
            case 8192:
                lit = ParameterSets.N8192_QP_60_40_40_60;
                break;
            case 16384:
                lit = ParameterSets.N16384_QP_60_40X7_60;
                break;
            default:
                throw new IllegalArgumentException("no benchmark parameter set for N=" + N);
        }
        return Parameters.fromLiteral(lit);
    }
}
