package dev.splitlearn.core.defense;

/** The quantiser's rounding without the engine, for the wire tests of other packages. */
public final class QuantizerAccess {
  private QuantizerAccess() {}

  /** What {@link Quantizer} of {@code bits} sends for {@code v} (one tensor). */
  public static float[] quantize(float[] v, int bits) {
    return Quantizer.quantize(v, 1 << bits);
  }
}
