package dev.splitlearn.core.kernels;

import dev.splitlearn.models.ConvLayer;

/**
 * The self-test's verdict on one convolution at one thread count. Errors are the largest absolute
 * difference from the plain-Java reference over the checked elements, relative to the largest
 * reference value; NaN when the engine returned a NaN or an infinity anywhere.
 *
 * @param layer the convolution
 * @param origin {@code model} (a layer the run uses) or {@code known-bad} (a shape oneDNN got wrong
 *     on some CPU)
 * @param threads engine threads during the check
 * @param oneDnn whether oneDNN was on
 * @param forwardError error of the output y
 * @param inputGradientError error of dx (backward-data)
 * @param weightGradientError error of dw (backward-weights)
 * @param checkedElements elements compared with the reference (all, or a seeded sample of a large
 *     layer)
 */
public record KernelCheck(
    ConvLayer layer,
    String origin,
    int threads,
    boolean oneDnn,
    double forwardError,
    double inputGradientError,
    double weightGradientError,
    long checkedElements) {

  /** Whether every error is finite and within {@link KernelSelfTest#TOLERANCE}. */
  public boolean passed() {
    return ok(forwardError) && ok(inputGradientError) && ok(weightGradientError);
  }

  private static boolean ok(double e) {
    return !Double.isNaN(e) && e <= KernelSelfTest.TOLERANCE;
  }

  /** The failing parts, e.g. {@code "input gradient: NaN"}, or {@code "ok"}. */
  public String verdict() {
    StringBuilder s = new StringBuilder();
    part(s, "forward", forwardError);
    part(s, "input gradient", inputGradientError);
    part(s, "weight gradient", weightGradientError);
    return s.length() == 0 ? "ok" : s.toString();
  }

  private static void part(StringBuilder s, String name, double e) {
    if (!ok(e)) {
      s.append(s.length() == 0 ? "" : ", ")
          .append(name)
          .append(" relative error ")
          .append(Double.isNaN(e) ? "NaN" : String.format("%.2g", e));
    }
  }

  /** Largest of the three errors (NaN if any is NaN). */
  public double worstError() {
    return Math.max(forwardError, Math.max(inputGradientError, weightGradientError));
  }
}
