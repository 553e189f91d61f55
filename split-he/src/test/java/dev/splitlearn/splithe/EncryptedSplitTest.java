package dev.splitlearn.splithe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.encrypted.GradientExchange;
import dev.splitlearn.core.encrypted.GradientPrivacy;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CKKS-encrypted U-shaped training: same step as plaintext up to CKKS error, and what the server
 * sees.
 */
class EncryptedSplitTest {
  private static final long SEED = 5;
  private static final int BATCH = 16;
  private static final ModelSpec ECG = ModelZoo.get("ecg-cnn", new long[] {1, 128}, 5);
  private static final SplitPlan U = ECG.plan(Protocol.U_SHAPED);
  private static final OptimizerSpec SGD = new OptimizerSpec("sgd", 0.5f, 0, 0, "constant", 1);

  /** The bias gradient of a layer-gradient message. */
  private static float[] biasGradient(LayerGradient g) {
    return g.gradients().stream()
        .filter(t -> t.name().equals("bias"))
        .findFirst()
        .orElseThrow()
        .tensor()
        .data();
  }

  /** The messages a server received through {@code tap}, the handshake left out. */
  private static List<Message> requests(Fixtures.Tap tap) throws java.io.IOException {
    List<Message> out = new ArrayList<>();
    for (byte[] f : tap.frames()) {
      Message m = new MessageCodec().decode(f);
      if (!(m instanceof Message.Hello)) {
        out.add(m);
      }
    }
    return out;
  }

  private static List<NamedTensor> allWeights(SplitClient c, SplitServerRuntime s) {
    List<NamedTensor> all = new ArrayList<>(c.extractor().weights());
    all.addAll(s.cloud().weights());
    return all;
  }

  /** Loss and all weights after one step, plaintext or encrypted. */
  private record StepResult(float loss, List<NamedTensor> weights, List<Message> requests) {}

  private static StepResult oneStep(CkksEncryption he, float[] x, int[] y) throws Exception {
    try (SplitServerRuntime server = Fixtures.server(U, SEED, SGD, he)) {
      // encrypted steps may take minutes: never on a transport's network threads
      assertEquals(he == null, server.handlesOnNetworkThreads());
      Fixtures.Tap tap = new Fixtures.Tap(server);
      try (SplitClient client =
          Fixtures.joinedClient(tap, U, SEED, SGD, he == null ? null : he.newClientCipher())) {
        float loss = client.trainStep(0, x, new Shape(BATCH, 1, 128), y);
        return new StepResult(loss, allWeights(client, server), requests(tap));
      }
    }
  }

  private static double maxDiff(List<NamedTensor> a, List<NamedTensor> b) {
    double m = 0;
    for (int i = 0; i < a.size(); i++) {
      float[] u = a.get(i).tensor().data();
      float[] v = b.get(i).tensor().data();
      for (int j = 0; j < u.length; j++) {
        m = Math.max(m, Math.abs(u[j] - v[j]));
      }
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"aggregate", "per-sample"})
  void encryptedStepMatchesThePlaintextStep(String exchange) throws Exception {
    float[] x = Fixtures.randomBatch(new Shape(BATCH, 1, 128), 3);
    int[] y = new int[BATCH];
    for (int i = 0; i < BATCH; i++) {
      y[i] = i % 5;
    }
    StepResult plain = oneStep(null, x, y);
    // exactness of the encryption itself: no privacy noise (GradientPrivacy.NONE)
    StepResult enc =
        oneStep(
            new CkksEncryption("n4096", GradientExchange.parse(exchange), GradientPrivacy.NONE),
            x,
            y);
    assertEquals(plain.loss(), enc.loss(), 1e-3, "loss");
    double d = maxDiff(plain.weights(), enc.weights());
    // CKKS keeps about 15 bits on the logits; measured differences are below 1e-6
    assertTrue(d < 1e-5, "weights after one step differ by " + d);
    // the comparison can fail: a step that changes nothing would also pass d < 1e-3, so check it
    // moved
    StepResult none = new StepResult(0, new ArrayList<>(), List.of());
    try (SplitServerRuntime server = Fixtures.server(U, SEED, SGD, null);
        SplitClient client = Fixtures.joinedClient(server, U, SEED, SGD, null)) {
      none = new StepResult(0, allWeights(client, server), List.of());
    }
    assertTrue(
        maxDiff(none.weights(), enc.weights()) > 1e-2, "the encrypted step changed the weights");
  }

  @Test
  void inTheAggregateExchangeTheServerGetsNoPerSampleValue() throws Exception {
    float[] x = Fixtures.randomBatch(new Shape(BATCH, 1, 128), 4);
    int[] y = Fixtures.randomLabels(BATCH, 5, 5);
    StepResult r = oneStep(CkksEncryption.defaults(), x, y);
    List<Class<?>> kinds = r.requests().stream().<Class<?>>map(Object::getClass).toList();
    assertEquals(List.of(HeSetup.class, EncryptedForward.class, LayerGradient.class), kinds);
    LayerGradient g = (LayerGradient) r.requests().get(2);
    assertNull(g.outputGradient(), "no per-sample output gradient");
    for (NamedTensor t : g.gradients()) {
      assertTrue(
          t.tensor().shape()[0] == 5,
          t.name() + " has no batch axis: " + new Shape(t.tensor().shape()));
    }
  }

  @Test
  void thePerSampleExchangeLeaksEveryLabel() throws Exception {
    float[] x = Fixtures.randomBatch(new Shape(BATCH, 1, 128), 6);
    int[] y = Fixtures.randomLabels(BATCH, 5, 7);
    StepResult r = oneStep(new CkksEncryption("n4096", GradientExchange.PER_SAMPLE), x, y);
    LayerGradient g = (LayerGradient) r.requests().get(2);
    float[] dz = g.outputGradient().data();
    int recovered = 0;
    for (int i = 0; i < BATCH; i++) {
      int argmin = 0;
      for (int k = 1; k < 5; k++) {
        argmin = dz[i * 5 + k] < dz[i * 5 + argmin] ? k : argmin;
      }
      recovered += argmin == y[i] ? 1 : 0; // softmax - onehot is negative only at the label
    }
    assertEquals(
        BATCH, recovered, "labels an honest-but-curious server reads off per-sample gradients");
  }

  @Test
  void theAggregateExchangeRevealsTheMajorityClassOfASkewedBatch() throws Exception {
    // db_k = (sum_i softmax(z_i)_k - n_k) / B: the server cannot split the two terms, but when one
    // class
    // dominates a batch, its db is the most negative (threat model: batch-level label information
    // leaks)
    int batch = 64;
    int hits = 0;
    int trials = 8;
    for (int trial = 0; trial < trials; trial++) {
      float[] x = Fixtures.randomBatch(new Shape(batch, 1, 128), 20 + trial);
      java.util.Random r = new java.util.Random(trial);
      int majority = trial % 5;
      int[] y = new int[batch];
      for (int i = 0; i < batch; i++) {
        y[i] = r.nextInt(10) < 6 ? majority : r.nextInt(5); // about 70% of the batch in one class
      }
      List<Message> requests;
      try (SplitServerRuntime server = Fixtures.server(U, SEED, SGD, CkksEncryption.defaults())) {
        Fixtures.Tap tap = new Fixtures.Tap(server);
        try (SplitClient client =
            Fixtures.joinedClient(tap, U, SEED, SGD, CkksEncryption.defaults().newClientCipher())) {
          client.trainStep(0, x, new Shape(batch, 1, 128), y);
          requests = requests(tap);
        }
      }
      LayerGradient g = (LayerGradient) requests.get(2);
      float[] db = biasGradient(g);
      int argmin = 0;
      for (int k = 1; k < 5; k++) {
        argmin = db[k] < db[argmin] ? k : argmin;
      }
      hits += argmin == majority ? 1 : 0;
    }
    assertEquals(trials, hits, "majority class read off the batch-sum bias gradient");
  }

  @Test
  void encryptedStepsReleaseTheirArrays() throws Exception {
    OptimizerSpec adam = OptimizerSpec.adam(1e-3f);
    Shape shape = new Shape(BATCH, 1, 128);
    try (SplitServerRuntime server = Fixtures.server(U, SEED, adam, CkksEncryption.defaults());
        SplitClient client =
            Fixtures.joinedClient(
                server, U, SEED, adam, CkksEncryption.defaults().newClientCipher())) {
      for (int step = 0; step < 3; step++) {
        client.trainStep(
            step, Fixtures.randomBatch(shape, step), shape, Fixtures.randomLabels(BATCH, 5, step));
      }
      int extractor = client.extractor().liveArrays();
      int cloud = server.cloud().liveArrays();
      for (int step = 3; step < 13; step++) {
        client.trainStep(
            step, Fixtures.randomBatch(shape, step), shape, Fixtures.randomLabels(BATCH, 5, step));
        client.predict(step, Fixtures.randomBatch(shape, 50 + step), shape);
      }
      assertEquals(extractor, client.extractor().liveArrays(), "client arrays");
      assertEquals(cloud, server.cloud().liveArrays(), "server arrays");
    }
  }

  @Test
  void theServerRefusesWhatItCannotServe() throws Exception {
    SplitPlan vanilla = ECG.plan(Protocol.VANILLA);
    byte[] ok = CkksEncryption.defaults().literal().toBytes();
    try (SplitServerRuntime server =
            Fixtures.server(vanilla, SEED, SGD, CkksEncryption.defaults());
        InProcessTransport t = Fixtures.session(server, vanilla, "")) {
      RemoteException e = assertThrows(RemoteException.class, () -> t.exchange(new HeSetup(0, ok)));
      assertTrue(e.getMessage().contains("u-shaped"), e.getMessage());
    }
    ModelSpec mnist = ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10);
    SplitPlan mnistU = mnist.plan(Protocol.U_SHAPED);
    try (SplitServerRuntime server = Fixtures.server(mnistU, SEED, SGD, CkksEncryption.defaults());
        InProcessTransport t = Fixtures.session(server, mnistU, "")) {
      RemoteException e = assertThrows(RemoteException.class, () -> t.exchange(new HeSetup(0, ok)));
      assertTrue(
          e.getMessage().contains("one linear layer") || e.getMessage().contains("flat"),
          e.getMessage());
    }
    byte[] insecure = ParametersLiteral.of(12, new int[] {60, 60}, new int[] {}, 40).toBytes();
    try (SplitServerRuntime plainOnly = Fixtures.server(U, SEED, SGD, null);
        InProcessTransport t = Fixtures.session(plainOnly, U, "")) {
      RemoteException e = assertThrows(RemoteException.class, () -> t.exchange(new HeSetup(0, ok)));
      assertTrue(e.getMessage().contains("without encryption"), e.getMessage());
    }
    try (SplitServerRuntime server = Fixtures.server(U, SEED, SGD, CkksEncryption.defaults());
        InProcessTransport t = Fixtures.session(server, U, "")) {
      RemoteException e =
          assertThrows(RemoteException.class, () -> t.exchange(new HeSetup(0, insecure)));
      assertTrue(e.getMessage().contains("not this server's set 'n4096'"), e.getMessage());
      assertEquals(ErrorCode.ABORTED, e.code());
      RemoteException early =
          assertThrows(
              RemoteException.class,
              () -> t.exchange(new EncryptedForward(0, 0, true, 4, List.of(new byte[10]))));
      assertTrue(early.getMessage().contains("HeSetup"), early.getMessage());
      t.exchange(new HeSetup(0, ok));
      int expected =
          dev.splitlearn.he.linalg.BatchLayout.of(
                  CkksEncryption.defaults().parameters().slots(),
                  4,
                  (int) server.cloud().inputShape().get(1))
              .ciphertexts();
      List<byte[]> tooMany = java.util.Collections.nCopies(expected + 1, new byte[10]);
      RemoteException count =
          assertThrows(
              RemoteException.class,
              () -> t.exchange(new EncryptedForward(0, 0, true, 4, tooMany)));
      assertTrue(
          count
              .getMessage()
              .contains(tooMany.size() + " ciphertexts for a batch of 4, expected " + expected),
          count.getMessage());
      List<byte[]> junkOfTheRightCount = java.util.Collections.nCopies(expected, new byte[10]);
      RemoteException junk =
          assertThrows(
              RemoteException.class,
              () -> t.exchange(new EncryptedForward(0, 0, true, 4, junkOfTheRightCount)));
      assertTrue(junk.getMessage().contains("ciphertext 0"), junk.getMessage());
    }
  }

  @Test
  void encryptedTrainingLearnsAsWellAsPlaintext() throws Exception {
    List<Dataset> parts = Partitioner.iid(Fixtures.waves(600, 1), 2, 3);
    Dataset test = Fixtures.waves(200, 2);
    double[] acc = new double[2];
    for (int run = 0; run < 2; run++) {
      TrainingConfig cfg =
          new TrainingConfig(
              Schedule.PARALLEL,
              3,
              32,
              OptimizerSpec.adam(0.003f),
              11,
              1,
              null,
              false,
              Augmentation.NONE,
              run == 0 ? null : CkksEncryption.defaults());
      try (SplitTraining t = new SplitTraining(U, parts, test, cfg, TrainingListener.NONE)) {
        RunReport r = t.run();
        acc[run] = r.evaluation().accuracy();
      }
    }
    assertTrue(acc[0] > 0.6, "plaintext accuracy " + acc[0]);
    assertEquals(acc[0], acc[1], 0.03, "encrypted accuracy " + acc[1] + " vs plaintext " + acc[0]);
  }
}
