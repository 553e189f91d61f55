package dev.splitlearn.he.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.KeyGenerator;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.SecretKey;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batched linear layer on the compact split-learning parameter set, against double precision.
 */
class BatchedLinearLayerTest {

  /** Precision the compact set must reach on z = W a + b with |a| <= 10, |W| <= 1, |b| <= 1. */
  static final double MIN_BITS = 14;

  static Parameters params;
  static BatchClient client;
  static BatchedLinearLayer server;

  @BeforeAll
  static void setUp() {
    params = Parameters.fromLiteral(ParameterSets.SPLIT_N8192_Q45_30_P55);
    SecretKey sk = new KeyGenerator(params).genSecretKey();
    client = new BatchClient(params, sk);
    server = new BatchedLinearLayer(params);
  }

  static double[][] random(Random rnd, int rows, int cols, double bound) {
    double[][] x = new double[rows][cols];
    for (double[] row : x) {
      for (int j = 0; j < cols; j++) {
        row[j] = (2 * rnd.nextDouble() - 1) * bound;
      }
    }
    return x;
  }

  static double[][] plainLayer(double[][] a, double[][] w, double[] b) {
    double[][] z = new double[a.length][w.length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < w.length; k++) {
        double s = b[k];
        for (int j = 0; j < a[i].length; j++) {
          s += w[k][j] * a[i][j];
        }
        z[i][k] = s;
      }
    }
    return z;
  }

  static double bits(double[][] expected, double[][] actual) {
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int k = 0; k < expected[i].length; k++) {
        max = Math.max(max, Math.abs(expected[i][k] - actual[i][k]));
      }
    }
    return -Math.log(max) / Math.log(2);
  }

  double runLayer(int batch, int d, int m, boolean mask, long seed) {
    Random rnd = new Random(seed);
    double[][] a = random(rnd, batch, d, 10);
    double[][] w = random(rnd, m, d, 1);
    double[] b = random(rnd, 1, m, 1)[0];
    float[][] af = new float[batch][d];
    for (int i = 0; i < batch; i++) {
      for (int j = 0; j < d; j++) {
        af[i][j] = (float) a[i][j];
        a[i][j] = af[i][j]; // compare against the float inputs actually encrypted
      }
    }
    List<Ciphertext> cts = client.encryptBatch(af, batch, d);
    BatchLayout layout = BatchLayout.of(params.slots(), batch, d);
    assertEquals(layout.ciphertexts(), cts.size());
    List<Ciphertext> z = server.evaluate(cts, w, b, batch, mask);
    assertEquals(BatchedLinearLayer.outputCiphertexts(m), z.size()); // two outputs per ciphertext
    for (Ciphertext c : z) {
      assertEquals(0, c.level());
      assertEquals(params.defaultScale(), c.scale(), 1e-6);
    }
    return bits(plainLayer(a, w, b), client.decryptLogits(z, batch, m));
  }

  @Test
  void protocolShapeB64D256M5MeetsPrecision() {
    double plain = runLayer(64, 256, 5, false, 1);
    double masked = runLayer(64, 256, 5, true, 1);
    System.out.printf(
        "linear layer B=64 d=256 m=5: %.1f bits unmasked, %.1f bits masked%n", plain, masked);
    assertTrue(plain >= MIN_BITS, "unmasked precision " + plain);
    assertTrue(masked >= MIN_BITS, "masked precision " + masked);
  }

  @Test
  void oddShapesPadBatchAndFeatures() {
    // B = 50 pads to 64; d = 100 with g = 64 needs 2 ciphertexts, the second one half empty
    double bits = runLayer(50, 100, 3, true, 2);
    assertTrue(bits >= MIN_BITS, "precision " + bits);
    // B = N/2 leaves one group per ciphertext (no masking possible, still correct)
    double full = runLayer(params.slots(), 3, 2, true, 3);
    assertTrue(full >= MIN_BITS, "precision " + full);
  }

  @Test
  void masksHidePartialSumsButKeepTheirTotal() {
    Random rnd = new Random(4);
    int batch = 64;
    int d = 256;
    double[][] a = random(rnd, batch, d, 10);
    double[][] w = random(rnd, 1, d, 1);
    double[] b = {0.5};
    double[] flat = new double[batch * d];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(a[i], 0, flat, i * d, d);
    }
    List<Ciphertext> cts = client.encryptBatch(flat, batch, d);
    double[] clear = client.decryptSlots(server.evaluate(cts, w, b, batch, false).get(0));
    double[] masked = client.decryptSlots(server.evaluate(cts, w, b, batch, true).get(0));
    BatchLayout layout = BatchLayout.of(params.slots(), batch, d);
    double meanShift = 0;
    for (int s = 0; s < params.slots(); s++) {
      meanShift += Math.abs(masked[s] - clear[s]);
    }
    meanShift /= params.slots();
    // partial sums are |.| <~ 40 here; masks are uniform differences of magnitude ~M
    assertTrue(meanShift > server.maskMagnitude() / 4, "mean mask shift " + meanShift);
    for (int i = 0; i < batch; i++) {
      double sc = 0;
      double sm = 0;
      for (int g = 0; g < layout.groups(); g++) {
        sc += clear[layout.slotOf(i, g)];
        sm += masked[layout.slotOf(i, g)];
      }
      assertEquals(sc, sm, 1e-3, "sample " + i);
    }
  }

  @Test
  void compactSetSerializedSizes() throws Exception {
    double[] flat = new double[64 * 256];
    List<Ciphertext> cts = client.encryptBatch(flat, 64, 256);
    Ciphertext fresh = cts.get(0);
    assertTrue(fresh.isSeeded());
    // 8192 coefficients x (45 + 30) bits + 32-byte seed + header (21) + CRC (4)
    assertEquals(8192 * 75 / 8 + 32 + 25, fresh.binarySize());
    assertEquals(fresh.binarySize(), fresh.toBytes().length);
    Ciphertext result =
        server.evaluate(cts, new double[][] {new double[256]}, new double[] {0}, 64, false).get(0);
    assertEquals(2 * 8192 * 45 / 8 + 25, result.binarySize());
    System.out.printf(
        "compact set: fresh seeded ciphertext %d bytes, level-0 result %d bytes, batch of 4 = %d bytes%n",
        fresh.binarySize(), result.binarySize(), 4 * fresh.binarySize());
  }

  @Test
  void overflowIsReportedNotDecodedAsGarbage() {
    Random rnd = new Random(11);
    double[] big = new double[64 * 256];
    for (int i = 0; i < big.length; i++) {
      big[i] = (2 * rnd.nextDouble() - 1) * 1e5; // partial sums far beyond the capacity 2^14
    }
    double[][] w = new double[5][256];
    for (double[] row : w) {
      java.util.Arrays.fill(row, 1.0);
    }
    List<Ciphertext> z =
        server.evaluate(client.encryptBatch(big, 64, 256), w, new double[5], 64, false);
    ArithmeticException e =
        assertThrows(ArithmeticException.class, () -> client.decryptLogits(z, 64, 5));
    assertTrue(e.getMessage().contains("overflowed"), e.getMessage());
  }

  /**
   * Partial sums of 7,000 (above the 4,096 the old check allowed next to a mask, below half the
   * capacity).
   */
  @Test
  void largeGenuinePartialSumsWithMasksDecodeAndPassTheCheck() {
    BatchLayout layout = BatchLayout.of(params.slots(), 64, 256);
    int perSlot = 256 / layout.groups(); // features summed in one slot
    double v = 7000.0 / perSlot;
    double[] x = new double[64 * 256];
    java.util.Arrays.fill(x, v);
    double[][] w = new double[2][256];
    java.util.Arrays.fill(w[0], 1.0);
    java.util.Arrays.fill(w[1], -1.0);
    List<Ciphertext> z =
        server.evaluate(client.encryptBatch(x, 64, 256), w, new double[2], 64, true);
    double[][] logits = client.decryptLogits(z, 64, 2);
    for (double[] row : logits) {
      assertEquals(256 * v, row[0], 1e-2 * 256 * v);
      assertEquals(-256 * v, row[1], 1e-2 * 256 * v);
    }
  }

  @Test
  void shapeErrorsAreReported() {
    List<Ciphertext> cts = client.encryptBatch(new double[64 * 256], 64, 256);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> server.evaluate(cts.subList(0, 3), new double[2][256], new double[2], 64, false));
    assertTrue(e.getMessage().contains("expected ceil(d/g)=4"), e.getMessage());
    IllegalArgumentException rows =
        assertThrows(
            IllegalArgumentException.class, () -> client.encryptBatch(new float[3][256], 64, 256));
    assertTrue(rows.getMessage().contains("B=64"), rows.getMessage());
    assertThrows(IllegalArgumentException.class, () -> BatchLayout.of(4096, 4097, 1));
    assertThrows(IllegalArgumentException.class, () -> new BatchedLinearLayer(params, 1e9));
  }

  @Test
  void layoutMatchesSpecification() {
    BatchLayout l = BatchLayout.of(4096, 64, 256);
    assertEquals(64, l.paddedBatch());
    assertEquals(64, l.groups());
    assertEquals(4, l.ciphertexts());
    assertEquals(1, l.ciphertextOf(64));
    assertEquals(5 * 64 + 70 % 64, l.slotOf(5, 70)); // sample-major: sample i's group of g features
    BatchLayout odd = BatchLayout.of(4096, 50, 100);
    assertEquals(64, odd.paddedBatch());
    assertEquals(2, odd.ciphertexts());
  }
}
