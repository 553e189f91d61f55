package dev.splitlearn.bench.he;

import dev.splitlearn.he.ring.Prng;
import dev.splitlearn.he.ring.Samplers;
import dev.splitlearn.he.ring.SubRing;
import dev.splitlearn.he.rlwe.Parameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/** Negacyclic NTT on one 60-bit prime ({@code NTT/Forward/N=.../Qi=1} in lattigo's naming). */
public class NttBenchmark extends AbstractPrimitiveBenchmark {

  private SubRing subRing;
  private long[] row;

  /** Builds the tables and a random row. */
  @Setup
  public void setup() {
    Parameters params = parameters();
    subRing = params.ring().subRing(0);
    row = new long[params.n()];
    Samplers.uniform(Prng.fromSecureRandom(), subRing.modulus(), row);
  }

  /**
   * @return the transformed row
   */
  @Benchmark
  public long[] nttForward() {
    subRing.forward(row);
    return row;
  }

  /**
   * @return the transformed row
   */
  @Benchmark
  public long[] nttInverse() {
    subRing.inverse(row);
    return row;
  }
}
