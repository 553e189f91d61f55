package dev.splitlearn.bench.he;

import dev.splitlearn.he.ckks.Encoder;
import dev.splitlearn.he.ckks.ParameterSets;
import dev.splitlearn.he.ckks.PeriodicEncoder;
import dev.splitlearn.he.linalg.BatchClient;
import dev.splitlearn.he.linalg.BatchLayout;
import dev.splitlearn.he.linalg.BatchedLinearLayer;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.KeyGenerator;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.Plaintext;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The encrypted split step's CKKS work for one batch of {@code ecg-cnn} (B = 64, d = 256, m = 5),
 * single thread, on the split parameter sets: the client's encryption, the server's layer, the
 * client's decryption, and the weight-plaintext encoding with the general and the periodic encoder.
 */
public class LinearLayerBenchmark extends AbstractHeBenchmark {
  private static final int B = 64;
  private static final int D = 256;
  private static final int M = 5;

  /** Ring degree of the split parameter set. */
  @Param({"4096", "8192"})
  public int N;

  private BatchClient client;
  private BatchedLinearLayer layer;
  private double[] activations;
  private double[][] weights;
  private double[] bias;
  private List<Ciphertext> batch;
  private List<Ciphertext> logits;
  private Encoder encoder;
  private PeriodicEncoder periodic;
  private double[] fullRe;
  private double[] fullIm;
  private double[] periodRe;
  private double[] periodIm;
  private Plaintext pt;

  @Setup
  public void setUp() {
    Parameters params =
        Parameters.fromLiteral(
            N == 4096 ? ParameterSets.SPLIT_N4096_Q45_30 : ParameterSets.SPLIT_N8192_Q45_30_P55);
    client = new BatchClient(params, new KeyGenerator(params).genSecretKey());
    layer = new BatchedLinearLayer(params);
    Random rnd = new Random(1);
    activations = new double[B * D];
    for (int i = 0; i < activations.length; i++) {
      activations[i] = rnd.nextDouble();
    }
    weights = new double[M][D];
    for (double[] row : weights) {
      for (int j = 0; j < D; j++) {
        row[j] = rnd.nextDouble() - 0.5;
      }
    }
    bias = new double[M];
    batch = client.encryptBatch(activations, B, D);
    logits = layer.evaluate(batch, weights, bias, B, true);
    int g = BatchLayout.of(params.slots(), B, D).groups();
    encoder = new Encoder(params);
    periodic = new PeriodicEncoder(params, g);
    periodRe = new double[g];
    periodIm = new double[g];
    fullRe = new double[params.slots()];
    fullIm = new double[params.slots()];
    for (int s = 0; s < fullRe.length; s++) {
      fullRe[s] = weights[0][s % g];
      fullIm[s] = weights[1][s % g];
    }
    for (int t = 0; t < g; t++) {
      periodRe[t] = weights[0][t];
      periodIm[t] = weights[1][t];
    }
    int level = params.maxLevel();
    pt = new Plaintext(params, level, params.ring().modulus(level).value());
  }

  /** Client: encode and encrypt a 64 x 256 batch. */
  @Benchmark
  public List<Ciphertext> encryptBatch() {
    return client.encryptBatch(activations, B, D);
  }

  /** Server: W a + b for 5 outputs, masked. */
  @Benchmark
  public List<Ciphertext> evaluateLayer() {
    return layer.evaluate(batch, weights, bias, B, true);
  }

  /** Client: decrypt and sum the 5 logits of 64 samples. */
  @Benchmark
  public double[][] decryptLogits() {
    return client.decryptLogits(logits, B, M);
  }

  /** One weight plaintext with the general encoder. */
  @Benchmark
  public Plaintext encodeWeightsGeneral() {
    encoder.encode(fullRe, fullIm, pt);
    return pt;
  }

  /** The same plaintext with the periodic encoder. */
  @Benchmark
  public Plaintext encodeWeightsPeriodic() {
    periodic.encode(periodRe, periodIm, pt);
    return pt;
  }
}
