package dev.splitlearn.attacks;

import dev.splitlearn.core.encrypted.LinearGradients;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.FrameTap;
import dev.splitlearn.core.protocol.FrameTapReader;
import dev.splitlearn.core.protocol.MalformedMessageException;
import dev.splitlearn.core.protocol.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a curious server learns about labels from its tap ({@link FrameTap}), training steps only:
 * labels sent in clear (vanilla), the per-sample gradients of the cloud output the client sends
 * (U-shaped), the activations' gradients the server returns, and under CKKS the batch sums of the
 * server layer's gradients (the bias gradient) or, in the per-sample exchange, the per-sample
 * gradients of the layer output. Per-sample gradients wider than {@link #MAX_WIDTH} are kept as a
 * count sketch of that width (feature hashing: inner products, hence cosines, are preserved in
 * expectation), so that memory stays bounded on wide cuts.
 */
public final class TapEvidence {
  /** Widest per-sample gradient kept as is. */
  public static final int MAX_WIDTH = 1024;

  /** The rows of one step's per-sample tensor (row {@code i} is the batch's sample {@code i}). */
  public record StepRows(int client, long step, float[][] rows) {}

  /** One step's labels as they crossed the wire. */
  public record StepLabels(int client, long step, int[] labels) {}

  /**
   * One step's summed bias gradient of the server layer (CKKS aggregate exchange) and its batch
   * size.
   */
  public record StepBias(int client, long step, int batch, float[] bias) {}

  /** Labels the clients sent in clear (vanilla protocol). */
  public final List<StepLabels> labelsInClear = new ArrayList<>();

  /** Per-sample gradients of the cloud output, client to server (U-shaped). */
  public final List<StepRows> cloudOutputGradients = new ArrayList<>();

  /** Per-sample gradients of the cut activations, server to client. */
  public final List<StepRows> activationGradients = new ArrayList<>();

  /** Per-sample gradients of the encrypted layer's output (CKKS per-sample exchange). */
  public final List<StepRows> layerOutputGradients = new ArrayList<>();

  /** Batch sums of the encrypted layer's bias gradient (CKKS aggregate exchange). */
  public final List<StepBias> biasGradients = new ArrayList<>();

  private int frames;
  private int undecodable;
  private int encryptedForwards;
  private int plainForwards;

  private TapEvidence() {}

  /**
   * Reads every training frame of {@code tap}.
   *
   * @throws IOException naming the file if it is not a tap file or is cut short
   */
  public static TapEvidence read(Path tap) throws IOException {
    TapEvidence e = new TapEvidence();
    Map<Long, Integer> encryptedBatch = new HashMap<>();
    FrameTapReader.read(
        tap,
        f -> {
          e.frames++;
          Message m;
          try {
            m = f.decode();
          } catch (MalformedMessageException x) {
            e.undecodable++; // a refused frame: the server learnt nothing from it
            return;
          }
          if (f.direction() == FrameTap.TO_SERVER) {
            if (m instanceof Message.Forward fw && fw.training()) {
              e.plainForwards++;
              if (fw.labels().length > 0) {
                e.labelsInClear.add(new StepLabels(fw.clientId(), fw.step(), fw.labels()));
              }
            } else if (m instanceof Message.EncryptedForward ef && ef.training()) {
              e.encryptedForwards++;
              encryptedBatch.put(key(ef.clientId(), ef.step()), ef.batch());
            } else if (m instanceof Message.Gradient g) {
              e.cloudOutputGradients.add(new StepRows(g.clientId(), g.step(), rows(g.gradient())));
            } else if (m instanceof Message.LayerGradient lg) {
              Integer batch = encryptedBatch.get(key(lg.clientId(), lg.step()));
              float[] bias =
                  LinearGradients.find(lg.gradients(), LinearGradients.BIAS, "LayerGradient")
                      .data();
              e.biasGradients.add(
                  new StepBias(lg.clientId(), lg.step(), batch == null ? -1 : batch, bias));
              if (lg.outputGradient() != null) {
                e.layerOutputGradients.add(
                    new StepRows(lg.clientId(), lg.step(), rows(lg.outputGradient())));
              }
            }
          } else if (m instanceof Message.Gradient g) {
            e.activationGradients.add(new StepRows(g.clientId(), g.step(), rows(g.gradient())));
          }
        });
    return e;
  }

  private static long key(int client, long step) {
    return ((long) client << 40) ^ step;
  }

  /** Frames in the tap, both ways. */
  public int frames() {
    return frames;
  }

  /** Frames that did not decode (refused by the server as well). */
  public int undecodable() {
    return undecodable;
  }

  /** Training forwards with plaintext activations. */
  public int plainForwards() {
    return plainForwards;
  }

  /** Training forwards with encrypted activations. */
  public int encryptedForwards() {
    return encryptedForwards;
  }

  /**
   * The rows of a (batch, ...) tensor, each sketched down to {@link #MAX_WIDTH} values if wider.
   */
  static float[][] rows(FloatTensor t) {
    int batch = (int) t.batch();
    int width = t.size() / batch;
    float[] data = t.data();
    float[][] out = new float[batch][];
    for (int i = 0; i < batch; i++) {
      out[i] = sketch(data, i * width, width, MAX_WIDTH);
    }
    return out;
  }

  /**
   * A count sketch of {@code v[off, off + len)} of width {@code width} (the values themselves when
   * they fit): value {@code j} is added, with a sign, to bucket {@code h(j)}, both from a fixed
   * hash of {@code j}, so every row of every step is sketched the same way.
   */
  static float[] sketch(float[] v, int off, int len, int width) {
    if (len <= width) {
      return java.util.Arrays.copyOfRange(v, off, off + len);
    }
    float[] out = new float[width];
    for (int j = 0; j < len; j++) {
      long h = mix(j);
      int bucket = (int) Long.remainderUnsigned(h >>> 1, width);
      out[bucket] += (h & 1) == 0 ? v[off + j] : -v[off + j];
    }
    return out;
  }

  /** SplitMix64's finaliser: a fixed, well-mixed hash of an index. */
  private static long mix(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The activations a client sent in its last training steps, as the tap recorded them (plaintext
   * forwards only).
   *
   * @param z {@code n} rows, row-major
   * @param rowShape shape of one row
   * @param steps per row, the training step it came from
   * @param rows per row, its index in that step's batch
   */
  public record Activations(float[] z, long[] rowShape, long[] steps, int[] rows) {
    /** Rows kept. */
    public int n() {
      return steps.length;
    }
  }

  private record Row(float[] z, long step, int row) {}

  /**
   * The last {@code n} rows of plaintext activations client {@code client} sent in training.
   *
   * @throws IOException naming the file if it is not a tap file or is cut short
   * @throws IllegalArgumentException if the tap holds no plaintext training activations of the
   *     client
   */
  public static Activations lastActivations(Path tap, int client, int n) throws IOException {
    java.util.ArrayDeque<Row> last = new java.util.ArrayDeque<>();
    long[][] shape = new long[1][];
    int[] encrypted = new int[1];
    FrameTapReader.read(
        tap,
        f -> {
          if (f.direction() != FrameTap.TO_SERVER) {
            return;
          }
          Message m;
          try {
            m = f.decode();
          } catch (MalformedMessageException x) {
            return;
          }
          if (m instanceof Message.EncryptedForward ef && ef.training()) {
            encrypted[0]++;
          }
          if (m instanceof Message.Forward fw && fw.training() && fw.clientId() == client) {
            FloatTensor a = fw.activations();
            int batch = (int) a.batch();
            int width = a.size() / batch;
            shape[0] = java.util.Arrays.copyOfRange(a.shape(), 1, a.shape().length);
            float[] data = a.data();
            for (int i = 0; i < batch; i++) {
              last.addLast(
                  new Row(
                      java.util.Arrays.copyOfRange(data, i * width, (i + 1) * width),
                      fw.step(),
                      i));
              if (last.size() > n) {
                last.removeFirst();
              }
            }
          }
        });
    if (last.isEmpty()) {
      throw new IllegalArgumentException(
          "--tap "
              + tap
              + ": no plaintext training activations of client "
              + client
              + (encrypted[0] > 0
                  ? " (the activations crossed encrypted, --he ckks: nothing to invert)"
                  : ""));
    }
    int k = last.size();
    int width = last.peekFirst().z().length;
    float[] z = new float[k * width];
    long[] steps = new long[k];
    int[] rows = new int[k];
    int i = 0;
    for (Row r : last) {
      System.arraycopy(r.z(), 0, z, i * width, width);
      steps[i] = r.step();
      rows[i] = r.row();
      i++;
    }
    return new Activations(z, shape[0], steps, rows);
  }
}
