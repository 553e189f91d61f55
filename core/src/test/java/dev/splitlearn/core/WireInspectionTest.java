package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.core.train.RunReport;
import dev.splitlearn.core.train.SplitTraining;
import dev.splitlearn.core.train.TrainingConfig;
import dev.splitlearn.core.train.TrainingListener;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.data.Partitioner;
import dev.splitlearn.models.ModelSpec;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What crosses the wire, read from the bytes the server receives. */
class WireInspectionTest {
  private static final ModelSpec ECG =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5);

  @Test
  void inUShapedModeNoLabelReachesTheServer() throws Exception {
    var plan = ECG.plan(Protocol.U_SHAPED);
    OptimizerSpec adam = OptimizerSpec.adam(1e-3f);
    var shape = new ai.djl.ndarray.types.Shape(64, 1, Fixtures.WAVE_LENGTH);
    int[] labels = new int[64];
    Random r = new Random(3);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = r.nextInt(5);
    }
    for (Protocol p : Protocol.values()) {
      var pl = ECG.plan(p);
      try (SplitServerRuntime server = Fixtures.server(pl, 1, adam, null)) {
        Fixtures.Tap tap = new Fixtures.Tap(server);
        try (var client = Fixtures.joinedClient(tap, pl, 1, adam, null)) {
          for (int step = 0; step < 3; step++) {
            client.trainStep(step, Fixtures.randomBatch(shape, step), shape, labels);
          }
        }
        boolean labelsSeen = tap.frames().stream().anyMatch(f -> contains(f, int32(labels)));
        List<Message> decoded = new ArrayList<>();
        for (byte[] f : tap.frames()) {
          decoded.add(new MessageCodec().decode(f));
        }
        boolean forwardWithLabels =
            decoded.stream().anyMatch(m -> m instanceof Forward fw && fw.labels().length > 0);
        if (p == Protocol.U_SHAPED) {
          assertFalse(labelsSeen, "the labels' bytes are in a frame the server received");
          assertFalse(forwardWithLabels, "a Forward carried labels");
        } else {
          // the check can fail: in vanilla mode the labels do go to the server, and the byte search
          // finds them
          assertTrue(
              labelsSeen && forwardWithLabels,
              "vanilla mode sends the labels, and the search sees them");
        }
      }
    }
  }

  @Test
  void theServerRefusesActivationsThatAreNotFinite() throws Exception {
    var plan = ECG.plan(Protocol.U_SHAPED);
    try (SplitServerRuntime server = Fixtures.server(plan, 1, OptimizerSpec.adam(1e-3f), null);
        var t = Fixtures.session(server, plan, "")) {
      long[] shape = plan.model().boundaryShapes().get(plan.extractorEnd()).getShape();
      shape[0] = 4;
      float[] a = new float[(int) (4 * 8 * 32)];
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        a[77] = bad;
        var e =
            org.junit.jupiter.api.Assertions.assertThrows(
                dev.splitlearn.core.protocol.RemoteException.class,
                () -> t.exchange(new Forward(0, 0, true, new FloatTensor(shape, a.clone()), null)));
        assertEquals(dev.splitlearn.core.protocol.ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(
            e.getMessage().contains("index 77") && e.getMessage().contains("not finite"),
            e.getMessage());
      }
      a[77] = Float.MAX_VALUE; // large but finite passes the check
      assertTrue(
          t.exchange(new Forward(0, 0, false, new FloatTensor(shape, a), null))
              instanceof Message.ServerOutput);
    }
  }

  private static byte[] int32(int[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void compressionShrinksCutTensorsAndBoundsTheError(Compression c) throws Exception {
    float[] data = Fixtures.randomBatch(new ai.djl.ndarray.types.Shape(64, 256), 9);
    for (int i = 0; i < data.length; i++) {
      data[i] = (data[i] - 0.5f) * 6; // activations of either sign
    }
    Forward f = new Forward(0, 1, true, new FloatTensor(new long[] {64, 256}, data), null);
    MessageCodec codec = new MessageCodec(MessageCodec.DEFAULT_MAX_BYTES, c);
    byte[] bytes = codec.encode(f);
    long payload = 4L * data.length;
    long overhead = MessageCodec.binarySize(f) - payload;
    long expected =
        switch (c) {
          case FLOAT32 -> payload;
          case FLOAT16 -> payload / 2;
          case INT8 -> payload / 4 + 4;
        };
    assertEquals(overhead + expected, bytes.length, "bytes of " + c);
    float[] back = ((Forward) codec.decode(bytes)).activations().data();
    double maxErr = 0;
    for (int i = 0; i < data.length; i++) {
      maxErr = Math.max(maxErr, Math.abs(back[i] - data[i]));
    }
    double bound =
        switch (c) {
          case FLOAT32 -> 0;
          case FLOAT16 ->
              3.0
                  * Math.pow(
                      2, -11); // half a unit in the last place of values below 4, and 3 above
          case INT8 -> 3.0 / 127 / 2 + 1e-6; // half a quantisation step of max|x| / 127
        };
    assertTrue(maxErr <= bound, c + ": max error " + maxErr + " > " + bound);
    if (c != Compression.FLOAT32) {
      assertTrue(maxErr > 0, c + " is lossy: the check can fail");
      float[] withNan = data.clone();
      withNan[7] = Float.NaN;
      Forward bad = new Forward(0, 1, true, new FloatTensor(new long[] {64, 256}, withNan), null);
      assertTrue(
          Float.isNaN(((Forward) codec.decode(codec.encode(bad))).activations().data()[7]),
          "a NaN is sent as float32 so the server sees and refuses it");
    }
  }

  @Test
  void compressedTrainingStillLearns() throws Exception {
    List<Dataset> parts = Partitioner.iid(Fixtures.waves(600, 1), 2, 3);
    Dataset test = Fixtures.waves(200, 2);
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
            null);
    double[] acc = new double[3];
    long[] up = new long[3];
    for (Compression c : Compression.values()) {
      try (SplitTraining t =
          new SplitTraining(
              ECG.plan(Protocol.U_SHAPED), parts, test, cfg, TrainingListener.NONE, c)) {
        RunReport r = t.run();
        acc[c.ordinal()] = r.evaluation().accuracy();
        up[c.ordinal()] = t.bytesClientToServer();
      }
    }
    assertTrue(acc[0] > 0.6, "float32 accuracy " + acc[0]);
    assertEquals(acc[0], acc[1], 0.03, "float16 " + Arrays.toString(acc));
    assertEquals(acc[0], acc[2], 0.05, "int8 " + Arrays.toString(acc));
    // weight uploads stay float32, so the totals shrink a little less than the activations (exact:
    // the test above)
    assertTrue(up[1] < 0.6 * up[0] && up[2] < 0.4 * up[0], "bytes up " + Arrays.toString(up));
  }
}
