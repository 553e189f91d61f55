package dev.splitlearn.core.protocol;

import java.util.Locale;

/**
 * How a client lays out the activations it sends ({@link Message.Forward}), chosen from its own
 * defenses and announced in its {@link Message.Hello}: dense (the codec's {@link Compression}),
 * sparse (top-k: only the non-zero entries, as delta-coded positions and their values, and dense
 * whenever that is not smaller) or bit-packed ({@code --quantize B}: B bits per value after a
 * per-tensor minimum and maximum). Every other tensor, gradients included, stays dense.
 *
 * @param kind the layout
 * @param bits bits per value of the packed layout, 1..8; 0 for the other layouts
 */
public record ActivationEncoding(Kind kind, int bits) {
  /** The layouts. */
  public enum Kind {
    DENSE,
    SPARSE,
    PACKED;

    /** The lower-case name, as recorded in results.json. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Activations as every other tensor. */
  public static final ActivationEncoding DENSE = new ActivationEncoding(Kind.DENSE, 0);

  /** Only the non-zero entries. */
  public static final ActivationEncoding SPARSE = new ActivationEncoding(Kind.SPARSE, 0);

  /**
   * Checks the bit count.
   *
   * @throws IllegalArgumentException if a packed layout's bits are not in 1..8, or another layout's
   *     not 0
   */
  public ActivationEncoding {
    if (kind == null) {
      throw new IllegalArgumentException("activation encoding needs a kind");
    }
    if (kind == Kind.PACKED ? bits < 1 || bits > BitPacking.MAX_BITS : bits != 0) {
      throw new IllegalArgumentException(
          "activation encoding "
              + kind.cliName()
              + ": bits must be "
              + (kind == Kind.PACKED ? "1.." + BitPacking.MAX_BITS : "0")
              + ", got "
              + bits);
    }
  }

  /** {@code bits} bits per value. */
  public static ActivationEncoding packed(int bits) {
    return new ActivationEncoding(Kind.PACKED, bits);
  }

  /** Whether activations go like every other tensor. */
  public boolean dense() {
    return kind == Kind.DENSE;
  }

  /** {@code dense}, {@code sparse} or {@code packed-B}, as recorded in results.json. */
  public String cliName() {
    return kind == Kind.PACKED ? "packed-" + bits : kind.cliName();
  }

  /** The two bytes of a {@link Message.Hello} that announce it: kind, bits. */
  byte[] wire() {
    return new byte[] {(byte) kind.ordinal(), (byte) bits};
  }

  /**
   * The encoding two Hello bytes announce.
   *
   * @throws IllegalArgumentException for an unknown kind or bits out of range
   */
  static ActivationEncoding ofWire(int kind, int bits) {
    if (kind < 0 || kind >= Kind.values().length) {
      throw new IllegalArgumentException("unknown activation encoding " + kind);
    }
    return new ActivationEncoding(Kind.values()[kind], bits);
  }

  @Override
  public String toString() {
    return cliName();
  }
}
