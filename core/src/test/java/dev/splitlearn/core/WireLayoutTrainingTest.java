package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientEpoch;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.defense.Defenses;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.ActivationEncoding;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import org.junit.jupiter.api.Test;

/**
 * Training with top-k over the sparse layout and with quantisation over the packed layout gives the
 * very numbers of the dense wire (both layouts carry those activations exactly) with fewer bytes
 * up.
 */
class WireLayoutTrainingTest {
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);

  private static ClientEpoch train(Defenses d, ActivationEncoding layout) throws Exception {
    try (SplitServerRuntime server = Fixtures.server(PLAN, 2, ADAM, null);
        SplitClient client =
            new SplitClient(
                0,
                PLAN,
                2,
                ADAM,
                new InProcessTransport(
                    server,
                    new MessageCodec(
                        MessageCodec.DEFAULT_MAX_BYTES, Compression.FLOAT32, layout)))) {
      return new SplitClientRuntime(
              client,
              Fixtures.waves(192, 1),
              Fixtures.waves(64, 2),
              new ClientConfig(
                  ADAM, 32, 2, Augmentation.NONE, Compression.FLOAT32, true, null, false, 0, d),
              ClientListener.NONE)
          .run()
          .get(0);
    }
  }

  @Test
  void sparseAndPackedActivationsTrainAsDenseOnesWithFewerBytes() throws Exception {
    Defenses topK = new Defenses(0.1, 0, 0, 1e-5, null, 0, 1, "run");
    Defenses quantize = new Defenses(0, 0, 0, 1e-5, null, 3, 1, "run");
    assertEquals(ActivationEncoding.SPARSE, topK.activationEncoding());
    assertEquals(ActivationEncoding.packed(3), quantize.activationEncoding());
    for (Defenses d : new Defenses[] {topK, quantize}) {
      ClientEpoch dense = train(d, ActivationEncoding.DENSE);
      ClientEpoch laidOut = train(d, d.activationEncoding());
      String what = d.activationEncoding().cliName();
      assertEquals(dense.lossSum(), laidOut.lossSum(), 0, what + ": the same losses, bit for bit");
      assertEquals(dense.evaluation().accuracy(), laidOut.evaluation().accuracy(), 0, what);
      assertEquals(dense.bytesDown(), laidOut.bytesDown(), what + ": gradients stay dense");
      System.out.printf(
          "WireLayoutTrainingTest: %s bytes up %d dense, %d laid out%n",
          what, dense.bytesUp(), laidOut.bytesUp());
      assertTrue(
          laidOut.bytesUp() < dense.bytesUp() * 0.45,
          what + ": " + laidOut.bytesUp() + " vs " + dense.bytesUp());
    }
  }

  @Test
  void aServerRefusesSparseOrPackedActivationsOnAnEncryptedCut() throws Exception {
    try (SplitServerRuntime server = Fixtures.server(PLAN, 2, ADAM, null);
        InProcessTransport t = new InProcessTransport(server)) {
      RemoteException e =
          assertThrows(
              RemoteException.class,
              () ->
                  t.exchange(
                      new Hello(
                          0,
                          MessageCodec.VERSION,
                          PLAN.fingerprint(),
                          Compression.FLOAT32,
                          "n4096",
                          1,
                          1,
                          ActivationEncoding.packed(2))));
      assertEquals(ErrorCode.ABORTED, e.code());
      assertTrue(
          e.getMessage().contains("packed-2 activations need the plaintext cut"), e.getMessage());
      Message ok =
          t.exchange(
              new Hello(
                  0,
                  MessageCodec.VERSION,
                  PLAN.fingerprint(),
                  Compression.FLOAT32,
                  "",
                  1,
                  1,
                  ActivationEncoding.SPARSE));
      assertTrue(ok instanceof Message.Welcome, ok.toString());
    }
  }
}
