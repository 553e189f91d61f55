package dev.splitlearn.bench.he;

import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import org.openjdk.jmh.annotations.Param;

/**
 * Benchmarks of CKKS primitives, comparable with SEAL: 8192 = {@link
 * ParameterSets#N8192_QP_60_40_40_60} (SEAL's [60, 40, 40, 60]), 16384 = {@link
 * ParameterSets#N16384_QP_60_40X7_60}.
 */
public abstract class AbstractPrimitiveBenchmark extends AbstractHeBenchmark {

  /** Ring degree N. */
  @Param({"8192", "16384"})
  public int N;

  /**
   * @return the parameters selected by {@link #N}
   */
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
