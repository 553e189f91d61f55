package dev.splitlearn.privacy;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * Rényi-DP accountant for the Poisson-subsampled Gaussian mechanism (Mironov, Talwar and Zhang
 * 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", Section 3.3), composed over
 * steps, converted to (epsilon, delta) with Balle et al. 2020, Theorem 21. Orders are those of
 * Opacus's accountant (1.1 to 10.9 by 0.1, then 12 to 63), whose published values it reproduces
 * (tested). Our own because the maintained accounting libraries (Google's dp_accounting, Opacus,
 * Microsoft's prv_accountant) are Python only; Google's Java DP library has no accountant for this
 * mechanism.
 */
public final class RdpAccountant {
  /** The RDP orders evaluated. */
  public static final double[] ORDERS = defaultOrders();

  private record Mechanism(double noiseMultiplier, double sampleRate, long steps) {}

  private final List<Mechanism> history = new ArrayList<>();

  /**
   * Records {@code steps} releases, each the sum over a Poisson sample (rate {@code sampleRate}) of
   * contributions clipped to L2 norm C, plus Gaussian noise of standard deviation {@code
   * noiseMultiplier * C}.
   */
  public synchronized void compose(double noiseMultiplier, double sampleRate, long steps) {
    if (!(noiseMultiplier > 0) || !(sampleRate > 0 && sampleRate <= 1) || steps < 0) {
      throw new IllegalArgumentException(
          "noise multiplier must be > 0 and sample rate in (0, 1], got "
              + noiseMultiplier
              + " and "
              + sampleRate);
    }
    history.add(new Mechanism(noiseMultiplier, sampleRate, steps));
  }

  /**
   * Epsilon at {@code delta} of {@code releases} Gaussian mechanisms of noise multiplier {@code
   * noiseMultiplier} (deviation over L2 sensitivity), each on the whole data (sample rate 1, no
   * amplification by sampling): a sample in one batch per epoch, released once per epoch.
   */
  public static double epsilonOfReleases(double noiseMultiplier, long releases, double delta) {
    RdpAccountant a = new RdpAccountant();
    if (releases > 0) {
      a.compose(noiseMultiplier, 1, releases);
    }
    return a.epsilon(delta);
  }

  /**
   * The smallest epsilon over the orders at which everything composed so far is (epsilon,
   * delta)-DP.
   */
  public double epsilon(double delta) {
    return epsilon(delta, ORDERS);
  }

  /** As {@link #epsilon(double)}, over the given orders (each > 1). */
  public synchronized double epsilon(double delta, double[] orders) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    }
    if (history.isEmpty()) {
      return 0; // nothing released (the conversion alone would give a small positive bound)
    }
    double best = Double.POSITIVE_INFINITY;
    for (double a : orders) {
      double rdp = 0;
      for (Mechanism m : history) {
        rdp += m.steps() * rdp(m.sampleRate(), m.noiseMultiplier(), a);
      }
      double eps = rdp - (Math.log(delta) + Math.log(a)) / (a - 1) + Math.log((a - 1) / a);
      if (eps < best) {
        best = eps;
      }
    }
    return Math.max(0, best);
  }

  /** RDP of one step of the sampled Gaussian mechanism at order {@code alpha} > 1. */
  static double rdp(double q, double sigma, double alpha) {
    if (q == 1) {
      return alpha / (2 * sigma * sigma);
    }
    double logA =
        alpha == Math.rint(alpha)
            ? logAInteger(q, sigma, (int) alpha)
            : logAFractional(q, sigma, alpha);
    return logA / (alpha - 1);
  }

  private static double logAInteger(double q, double sigma, int alpha) {
    double logA = Double.NEGATIVE_INFINITY;
    for (int i = 0; i <= alpha; i++) {
      double logCoef =
          CombinatoricsUtils.binomialCoefficientLog(alpha, i)
              + i * Math.log(q)
              + (alpha - i) * Math.log1p(-q);
      logA = logAdd(logA, logCoef + (i * (double) i - i) / (2 * sigma * sigma));
    }
    return logA;
  }

  private static double logAFractional(double q, double sigma, double alpha) {
    double logA0 = Double.NEGATIVE_INFINITY;
    double logA1 = Double.NEGATIVE_INFINITY;
    double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
    for (int i = 0; ; i++) {
      double coef = generalBinomial(alpha, i);
      double logCoef = Math.log(Math.abs(coef));
      double j = alpha - i;
      double logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
      double logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
      double logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.sqrt(2) * sigma));
      double logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.sqrt(2) * sigma));
      double logS0 = logT0 + (i * (double) i - i) / (2 * sigma * sigma) + logE0;
      double logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
      if (coef > 0) {
        logA0 = logAdd(logA0, logS0);
        logA1 = logAdd(logA1, logS1);
      } else {
        logA0 = logSub(logA0, logS0);
        logA1 = logSub(logA1, logS1);
      }
      if (Math.max(logS0, logS1) < -30) {
        break;
      }
    }
    return logAdd(logA0, logA1);
  }

  /** binom(alpha, i) for real alpha: prod_{k < i} (alpha - k) / (k + 1). */
  private static double generalBinomial(double alpha, int i) {
    double c = 1;
    for (int k = 0; k < i; k++) {
      c *= (alpha - k) / (k + 1);
    }
    return c;
  }

  /**
   * log(erfc(x)), accurate where erfc underflows (x beyond about 26) through its asymptotic series.
   */
  private static double logErfc(double x) {
    if (x < 25) {
      return Math.log(Erf.erfc(x));
    }
    // erfc(x) = exp(-x^2) / (x sqrt(pi)) * (1 - 1/(2x^2) + 3/(4x^4) - ...)
    double r = 1 / (2 * x * x);
    return -x * x
        - Math.log(x)
        - 0.5 * Math.log(Math.PI)
        + Math.log1p(-r + 3 * r * r - 15 * r * r * r);
  }

  private static double logAdd(double a, double b) {
    double lo = Math.min(a, b);
    double hi = Math.max(a, b);
    return lo == Double.NEGATIVE_INFINITY ? hi : Math.log1p(Math.exp(lo - hi)) + hi;
  }

  private static double logSub(double a, double b) {
    if (a < b) {
      throw new ArithmeticException("log-space subtraction would be negative");
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    if (a == b) {
      return Double.NEGATIVE_INFINITY;
    }
    return Math.log(Math.expm1(a - b)) + b;
  }

  private static double[] defaultOrders() {
    double[] o = new double[99 + 52];
    for (int x = 1; x < 100; x++) {
      o[x - 1] = 1 + x / 10.0;
    }
    for (int a = 12; a < 64; a++) {
      o[99 + a - 12] = a;
    }
    return o;
  }
}
