package dev.splitlearn.crowd;

import java.util.Random;
import java.util.TreeMap;

/**
 * A distribution a device property is drawn from, as written in a crowd config: {@code
 * {distribution: constant, value: V}}, {@code {distribution: uniform, min: A, max: B}} or {@code
 * {distribution: lognormal, median: M, sigma: S}} (a bare number means constant). Immutable.
 */
public sealed interface Distribution {
  /** One draw. */
  double sample(Random random);

  /** Smallest value a draw can take. */
  double lowest();

  /** Largest value a draw can take ({@code +Infinity} for the log-normal). */
  double highest();

  /** The config form, for results.json. */
  java.util.Map<String, Object> describe();

  /** Always {@code value}. */
  record Constant(double value) implements Distribution {
    @Override
    public double sample(Random random) {
      return value;
    }

    @Override
    public double lowest() {
      return value;
    }

    @Override
    public double highest() {
      return value;
    }

    @Override
    public java.util.Map<String, Object> describe() {
      return new TreeMap<>(java.util.Map.of("distribution", "constant", "value", value));
    }
  }

  /** Uniform on {@code [min, max]}. */
  record Uniform(double min, double max) implements Distribution {
    @Override
    public double sample(Random random) {
      return min + (max - min) * random.nextDouble();
    }

    @Override
    public double lowest() {
      return min;
    }

    @Override
    public double highest() {
      return max;
    }

    @Override
    public java.util.Map<String, Object> describe() {
      return new TreeMap<>(java.util.Map.of("distribution", "uniform", "min", min, "max", max));
    }
  }

  /**
   * Log-normal with the given median and log-space standard deviation: {@code median * exp(sigma *
   * N(0,1))}. Speeds and bandwidths of phones spread over orders of magnitude, which this shape
   * captures.
   */
  record LogNormal(double median, double sigma) implements Distribution {
    @Override
    public double sample(Random random) {
      return median * Math.exp(sigma * random.nextGaussian());
    }

    @Override
    public double lowest() {
      return sigma == 0 ? median : 0;
    }

    @Override
    public double highest() {
      return sigma == 0 ? median : Double.POSITIVE_INFINITY;
    }

    @Override
    public java.util.Map<String, Object> describe() {
      return new TreeMap<>(
          java.util.Map.of("distribution", "lognormal", "median", median, "sigma", sigma));
    }
  }
}
