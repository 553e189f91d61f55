package dev.splitlearn.core.protocol;

import java.util.Locale;

/**
 * How the tensors that cross the cut (activations, cloud outputs, their gradients) are encoded:
 * float32 (exact), float16 (half the bytes, 11-bit significand) or int8 with one float32 scale per
 * tensor (a quarter, about 2 decimal digits). Weights always travel as float32.
 */
public enum Compression {
  FLOAT32(0),
  FLOAT16(1),
  INT8(2);

  private final int wire;

  Compression(int wire) {
    this.wire = wire;
  }

  /** The encoding's byte on the wire. */
  public int wire() {
    return wire;
  }

  /** The lower-case name used on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code float32}, {@code float16} or {@code int8}.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static Compression parse(String value) {
    for (Compression c : values()) {
      if (c.cliName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown compression '" + value + "' (float32, float16, int8)");
  }

  /**
   * The encoding of a wire byte.
   *
   * @throws IllegalArgumentException for an unknown byte
   */
  public static Compression ofWire(int wire) {
    for (Compression c : values()) {
      if (c.wire == wire) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown tensor encoding " + wire);
  }
}
