package dev.splitlearn.core.encrypted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.protocol.Message.NamedTensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearGradientsTest {
  private static double norm(List<NamedTensor> g) {
    double s = 0;
    for (NamedTensor t : g) {
      for (float v : t.tensor().data()) {
        s += v * (double) v;
      }
    }
    return Math.sqrt(s);
  }

  @Test
  void withoutClippingOrNoiseThePrivateGradientIsTheGradient() {
    Random r = new Random(1);
    int batch = 6;
    float[] dz = new float[batch * 3];
    float[] a = new float[batch * 4];
    for (int i = 0; i < dz.length; i++) {
      dz[i] = (float) r.nextGaussian() / batch;
    }
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
    }
    List<NamedTensor> plain = LinearGradients.layerGradients(dz, a, batch, 3, 4);
    List<NamedTensor> priv = LinearGradients.privateLayerGradients(dz, a, batch, 3, 4, 1e9f, 0, r);
    for (int t = 0; t < 2; t++) {
      float[] u = plain.get(t).tensor().data();
      float[] v = priv.get(t).tensor().data();
      for (int i = 0; i < u.length; i++) {
        assertEquals(u[i], v[i], 1e-5);
      }
    }
  }

  @Test
  void eachSampleIsClippedToTheBound() {
    // one sample: the mean gradient is that sample's gradient, so its norm is at most the clip
    // bound
    float[] dz = {3f, -4f};
    float[] a = {10f, 0f, 5f};
    List<NamedTensor> plain = LinearGradients.layerGradients(dz, a, 1, 2, 3);
    List<NamedTensor> clipped =
        LinearGradients.privateLayerGradients(dz, a, 1, 2, 3, 2f, 0, new Random(1));
    double expected = 5 * Math.sqrt(100 + 25 + 1); // ||dz|| sqrt(||a||^2 + 1)
    assertEquals(expected, norm(plain), 1e-3);
    assertEquals(2.0, norm(clipped), 1e-5);
    float[] u = plain.get(0).tensor().data();
    float[] v = clipped.get(0).tensor().data();
    for (int i = 0; i < u.length; i++) {
      assertEquals(u[i] * 2.0 / expected, v[i], 1e-5, "same direction");
    }
  }

  @Test
  void theNoiseHasTheStatedDeviation() {
    int batch = 4;
    int outputs = 5;
    int features = 200;
    List<NamedTensor> g =
        LinearGradients.privateLayerGradients(
            new float[batch * outputs],
            new float[batch * features],
            batch,
            outputs,
            features,
            2f,
            1.5f,
            new Random(3));
    double s = 0;
    float[] w = g.get(0).tensor().data();
    for (float v : w) {
      s += v * (double) v;
    }
    double sd = Math.sqrt(s / w.length);
    double expected =
        1.5 * 2 / batch; // noise multiplier x clip, on the sum, then divided by the batch
    assertTrue(
        Math.abs(sd - expected) < 0.05 * expected,
        "noise deviation " + sd + ", expected " + expected);
  }
}
