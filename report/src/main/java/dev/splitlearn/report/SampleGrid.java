package dev.splitlearn.report;

import dev.splitlearn.privacy.Npy;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Originals over reconstructions: an image of two rows of sample images, built from the samples'
 * own pixel values (no chart). Values in [0, 1] are shown as they are; otherwise both rows are
 * scaled by the originals' range, so a reconstruction is never made to look better than it is.
 */
final class SampleGrid {
  private static final int GAP = 4;
  private static final int MIN_TILE = 56;

  private SampleGrid() {}

  /**
   * Whether samples of {@code shape} (k, sample shape...) are images: (k, C, H, W) with C = 1 or 3,
   * or (k, H, W), with H and W at least 8; anything else (e.g. (k, 1, L) ECG beats) is a signal.
   */
  static boolean isImage(long[] shape) {
    return shape.length == 4 && (shape[1] == 1 || shape[1] == 3) && shape[2] >= 8 && shape[3] >= 8
        || shape.length == 3 && shape[1] >= 8 && shape[2] >= 8;
  }

  /**
   * The grid as PNG bytes: originals in the top row, reconstructions below, each sample magnified
   * by a whole factor to at least {@value #MIN_TILE} pixels high, {@value #GAP} white pixels
   * between.
   *
   * @throws IllegalArgumentException if the samples are not images ({@link #isImage}) or differ in
   *     shape
   */
  static byte[] png(Npy.Array originals, Npy.Array reconstructions) {
    long[] s = originals.shape();
    if (!isImage(s) || !Arrays.equals(s, reconstructions.shape())) {
      throw new IllegalArgumentException(
          "image grid: originals and reconstructions must be images of one shape, got "
              + Arrays.toString(s)
              + " and "
              + Arrays.toString(reconstructions.shape()));
    }
    int k = (int) s[0];
    int channels = s.length == 4 ? (int) s[1] : 1;
    int h = (int) s[s.length - 2];
    int w = (int) s[s.length - 1];
    int zoom = Math.max(1, (MIN_TILE + h - 1) / h);
    float lo = 0;
    float hi = 1;
    for (float v : originals.data()) {
      if (v < 0 || v > 1) {
        lo = min(originals.data());
        hi = max(originals.data());
        break;
      }
    }
    BufferedImage image =
        new BufferedImage(
            k * (w * zoom + GAP) + GAP, 2 * (h * zoom + GAP) + GAP, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.dispose();
    float[][] rows = {originals.data(), reconstructions.data()};
    for (int row = 0; row < 2; row++) {
      for (int i = 0; i < k; i++) {
        int x0 = GAP + i * (w * zoom + GAP);
        int y0 = GAP + row * (h * zoom + GAP);
        for (int y = 0; y < h * zoom; y++) {
          for (int x = 0; x < w * zoom; x++) {
            int rgb = 0;
            for (int c = 0; c < 3; c++) {
              int at = ((i * channels + Math.min(c, channels - 1)) * h + y / zoom) * w + x / zoom;
              float v = (rows[row][at] - lo) / (hi - lo == 0 ? 1 : hi - lo);
              rgb = rgb << 8 | Math.round(Math.max(0, Math.min(1, v)) * 255);
            }
            image.setRGB(x0 + x, y0 + y, rgb);
          }
        }
      }
    }
    return Charts.encode(image);
  }

  private static float min(float[] a) {
    float m = Float.POSITIVE_INFINITY;
    for (float v : a) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static float max(float[] a) {
    float m = Float.NEGATIVE_INFINITY;
    for (float v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
