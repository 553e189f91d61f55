package dev.splitlearn.core;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.data.Dataset;
import java.util.List;
import java.util.Random;

/** Seeded test data shared with the modules that build on core (through core's test-jar). */
public final class Fixtures {
  /** Length of a synthetic 1D sample, as an MIT-BIH beat. */
  public static final int WAVE_LENGTH = 128;

  private Fixtures() {}

  /** Uniform values in [0, 1) of {@code shape}. */
  public static float[] randomBatch(Shape shape, long seed) {
    Random r = new Random(seed);
    float[] x = new float[(int) shape.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  /** {@code n} uniform labels in [0, classes). */
  public static int[] randomLabels(int n, int classes, long seed) {
    Random r = new Random(seed);
    int[] y = new int[n];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(classes);
    }
    return y;
  }

  /** A small 1D data set of 5 classes, each a noisy sine of its own frequency. */
  public static Dataset waves(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * WAVE_LENGTH];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(5);
      double phase = r.nextDouble() * 2 * Math.PI;
      for (int t = 0; t < WAVE_LENGTH; t++) {
        x[i * WAVE_LENGTH + t] = (float) (Math.sin(phase + t * (y[i] + 1) * 0.15) + 0.3 * r.nextGaussian());
      }
    }
    return Dataset.of("waves", new int[] {1, WAVE_LENGTH}, x, y, List.of("a", "b", "c", "d", "e"));
  }
}
