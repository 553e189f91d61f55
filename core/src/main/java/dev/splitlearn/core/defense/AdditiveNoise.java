package dev.splitlearn.core.defense;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Independent Gaussian (standard deviation S) or Laplace (scale B) noise added to every entry of
 * the activations sent. The noise is a constant of the graph: the gradient the server returns for
 * the noisy activations is the gradient applied to the clean ones. Without clipping it gives no
 * differential-privacy guarantee (the activations' range is unbounded); it is a leakage knob.
 */
public final class AdditiveNoise implements ActivationDefense {
  /** The noise's distribution. */
  public enum Kind {
    GAUSSIAN,
    LAPLACE;

    /** The lower-case name used on the command line. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Kind kind;
  private final double scale;

  /**
   * @param scale the Gaussian's standard deviation or the Laplace scale, finite and &gt;= 0
   * @throws IllegalArgumentException naming {@code --noise}
   */
  public AdditiveNoise(Kind kind, double scale) {
    if (kind == null) {
      throw new IllegalArgumentException("--noise needs a distribution, gaussian or laplace");
    }
    if (!(scale >= 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("--noise scale must be finite and >= 0, got " + scale);
    }
    this.kind = kind;
    this.scale = scale;
  }

  /**
   * Parses {@code gaussian:S} or {@code laplace:B}.
   *
   * @throws IllegalArgumentException naming {@code --noise} and the value
   */
  public static AdditiveNoise parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    int colon = v.indexOf(':');
    String name = colon < 0 ? v : v.substring(0, colon);
    Kind kind =
        switch (name) {
          case "gaussian" -> Kind.GAUSSIAN;
          case "laplace" -> Kind.LAPLACE;
          default ->
              throw new IllegalArgumentException(
                  "--noise must be gaussian:S or laplace:B, got '" + value + "'");
        };
    if (colon < 0) {
      throw new IllegalArgumentException(
          "--noise must be gaussian:S or laplace:B (with a scale), got '" + value + "'");
    }
    double scale;
    try {
      scale = Double.parseDouble(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--noise scale must be a number, got '" + value + "'");
    }
    return new AdditiveNoise(kind, scale);
  }

  /** The distribution. */
  public Kind kind() {
    return kind;
  }

  /** Standard deviation (Gaussian) or scale (Laplace). */
  public double scale() {
    return scale;
  }

  @Override
  public NDArray apply(NDArray activations, NoiseStream noise) {
    int n = (int) activations.size();
    float[] values = kind == Kind.GAUSSIAN ? noise.gaussian(n, scale) : noise.laplace(n, scale);
    return activations.add(activations.getManager().create(values, activations.getShape()));
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind.cliName() + "-noise");
    m.put("scale", scale);
    return m;
  }

  @Override
  public String toString() {
    return kind.cliName() + ":" + scale;
  }
}
