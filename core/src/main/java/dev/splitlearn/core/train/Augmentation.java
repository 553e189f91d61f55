package dev.splitlearn.core.train;

import java.util.Locale;
import java.util.Random;

/**
 * Training-time image augmentation, applied by the data holder to its own batches (test data is
 * never augmented). {@code crop-flip}: pad by {@code pad} zero pixels, crop back at a random
 * offset, and mirror left-right with probability 1/2 -- the standard CIFAR recipe. Seeded per
 * batch, so runs repeat.
 *
 * @param pad padding in pixels for the random crop, 0 for none
 * @param flip mirror left-right half of the time
 */
public record Augmentation(int pad, boolean flip) {
  public static final Augmentation NONE = new Augmentation(0, false);

  public Augmentation {
    if (pad < 0) {
      throw new IllegalArgumentException("augmentation padding must be >= 0, got " + pad);
    }
  }

  /** Parses {@code none}, {@code flip}, {@code crop-flip} (pad 2) or {@code crop-flip:P}. */
  public static Augmentation parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return NONE;
    }
    if (v.equals("flip")) {
      return new Augmentation(0, true);
    }
    if (v.equals("crop-flip")) {
      return new Augmentation(2, true);
    }
    if (v.startsWith("crop-flip:")) {
      try {
        return new Augmentation(Integer.parseInt(v.substring("crop-flip:".length())), true);
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException(
        "unknown augmentation '" + s + "' (none, flip, crop-flip, crop-flip:PAD)");
  }

  boolean enabled() {
    return pad > 0 || flip;
  }

  /**
   * Augments {@code n} samples of shape {@code [C, H, W]} in place.
   *
   * @param scratch at least {@code C*H*W} floats
   */
  void apply(float[] features, int n, long[] sampleShape, Random random, float[] scratch) {
    if (!enabled()) {
      return;
    }
    if (sampleShape.length != 3) {
      throw new IllegalArgumentException(
          "image augmentation needs [C, H, W] samples, got "
              + java.util.Arrays.toString(sampleShape));
    }
    int c = (int) sampleShape[0];
    int h = (int) sampleShape[1];
    int w = (int) sampleShape[2];
    int len = c * h * w;
    for (int s = 0; s < n; s++) {
      int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      boolean mirror = flip && random.nextBoolean();
      int base = s * len;
      System.arraycopy(features, base, scratch, 0, len);
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          int sy = y + dy;
          for (int x = 0; x < w; x++) {
            int sx = (mirror ? w - 1 - x : x) + dx;
            features[base + (ch * h + y) * w + x] =
                sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f : scratch[(ch * h + sy) * w + sx];
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return !enabled() ? "none" : pad == 0 ? "flip" : "crop-flip:" + pad;
  }
}
