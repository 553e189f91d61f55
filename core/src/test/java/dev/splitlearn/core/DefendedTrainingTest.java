package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.defense.AdditiveNoise;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training runs end to end with the defenses on, reproducibly, and the server receives the defended
 * activations.
 */
class DefendedTrainingTest {
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);

  private static SplitPlan plan(Protocol p) {
    return ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(p);
  }

  private record Run(List<ClientEpoch> epochs, List<Forward> received) {}

  private static Run train(Protocol protocol, Defenses d, float noPeek, Compression c)
      throws Exception {
    SplitPlan plan = plan(protocol);
    try (SplitServerRuntime server = Fixtures.server(plan, 2, ADAM, null)) {
      Fixtures.Tap tap = new Fixtures.Tap(server);
      try (SplitClient client =
          new SplitClient(
              0,
              plan,
              2,
              ADAM,
              new InProcessTransport(tap, new MessageCodec(MessageCodec.DEFAULT_MAX_BYTES, c)))) {
        List<ClientEpoch> epochs =
            new SplitClientRuntime(
                    client,
                    Fixtures.waves(192, 1),
                    Fixtures.waves(64, 2),
                    new ClientConfig(
                        ADAM, 32, 2, Augmentation.NONE, c, true, null, false, noPeek, d),
                    ClientListener.NONE)
                .run();
        List<Forward> forwards = new java.util.ArrayList<>();
        for (byte[] f : tap.frames()) {
          Message m = new MessageCodec().decode(f);
          if (m instanceof Forward fw) {
            forwards.add(fw);
          }
        }
        return new Run(epochs, forwards);
      }
    }
  }

  @Test
  void everyDefenseTogetherTrainsAndTheSameSeedGivesTheSameRun() throws Exception {
    Defenses all =
        new Defenses(0.5, 5, 0.5, 1e-5, AdditiveNoise.parse("gaussian:0.1"), 4, 7, "run");
    Run a = train(Protocol.U_SHAPED, all, 0, Compression.INT8);
    Run b = train(Protocol.U_SHAPED, all, 0, Compression.INT8);
    ClientEpoch ea = a.epochs().get(0);
    assertTrue(Double.isFinite(ea.meanLoss()) && ea.meanLoss() > 0, "loss " + ea.meanLoss());
    assertTrue(ea.evaluation().accuracy() >= 0 && Double.isFinite(ea.distanceCorrelation()));
    assertEquals(ea.lossSum(), b.epochs().get(0).lossSum(), 0, "same seed, same losses");
    assertEquals(
        ea.distanceCorrelation(),
        b.epochs().get(0).distanceCorrelation(),
        0,
        "same seed, same dCor");
    Defenses otherSeed =
        new Defenses(0.5, 5, 0.5, 1e-5, AdditiveNoise.parse("gaussian:0.1"), 4, 8, "run");
    assertTrue(
        ea.lossSum()
            != train(Protocol.U_SHAPED, otherSeed, 0, Compression.INT8).epochs().get(0).lossSum(),
        "another noise seed, other losses");
    for (Forward f : a.received()) { // 4 bits through int8: at most 16 values per batch
      assertTrue(new java.util.HashSet<>(boxed(f.activations().data())).size() <= 16);
    }
  }

  /**
   * With NoPeek too (its engine dCor is not bit-reproducible under load, so only that it trains).
   */
  @Test
  void theDefensesComposeWithNoPeek() throws Exception {
    Defenses all =
        new Defenses(0.5, 5, 0.1, 1e-5, AdditiveNoise.parse("laplace:0.05"), 4, 7, "run");
    ClientEpoch e = train(Protocol.U_SHAPED, all, 1, Compression.INT8).epochs().get(0);
    assertTrue(
        Double.isFinite(e.meanLoss()) && Double.isFinite(e.distanceCorrelation()),
        "loss " + e.meanLoss());
  }

  @Test
  void theServerReceivesOnlyTheTopKEntriesInBothProtocols() throws Exception {
    for (Protocol p : Protocol.values()) {
      Run r = train(p, new Defenses(0.1, 0, 0, 1e-5, null, 0, 1, "run"), 0, Compression.FLOAT32);
      assertTrue(r.received().size() > 6, "training and test batches");
      for (Forward f : r.received()) {
        float[] v = f.activations().data();
        int n = (int) f.activations().batch();
        int d = v.length / n;
        int k = (int) Math.ceil(0.1 * d);
        for (int row = 0; row < n; row++) {
          int nonZero = 0;
          for (int i = row * d; i < (row + 1) * d; i++) {
            nonZero += v[i] != 0 ? 1 : 0;
          }
          assertTrue(
              nonZero <= k, p + ": row with " + nonZero + " of " + d + " entries, more than " + k);
        }
      }
      assertTrue(Double.isFinite(r.epochs().get(0).meanLoss()));
    }
  }

  @Test
  void dpNoiseLowersTheMeasuredDistanceCorrelation() throws Exception {
    double clean =
        train(Protocol.U_SHAPED, Defenses.NONE, 0, Compression.FLOAT32)
            .epochs()
            .get(0)
            .distanceCorrelation();
    double noisy =
        train(
                Protocol.U_SHAPED,
                new Defenses(0, 1, 2, 1e-5, null, 0, 1, "run"),
                0,
                Compression.FLOAT32)
            .epochs()
            .get(0)
            .distanceCorrelation();
    System.out.printf(
        "DefendedTrainingTest: dCor(X, sent A) after one epoch: %.4f clean, %.4f with DP z=2 C=1%n",
        clean, noisy);
    assertTrue(noisy < clean, "dCor with DP noise " + noisy + " vs clean " + clean);
  }

  private static List<Float> boxed(float[] v) {
    List<Float> out = new java.util.ArrayList<>();
    for (float x : v) {
      out.add(x);
    }
    return out;
  }
}
