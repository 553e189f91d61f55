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

  /** One step's summed bias gradient of the server layer (CKKS aggregate exchange) and its batch size. */
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
    FrameTapReader.read(tap, f -> {
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
          float[] bias = LinearGradients.find(lg.gradients(), LinearGradients.BIAS, "LayerGradient").data();
          e.biasGradients.add(new StepBias(lg.clientId(), lg.step(), batch == null ? -1 : batch, bias));
          if (lg.outputGradient() != null) {
            e.layerOutputGradients.add(new StepRows(lg.clientId(), lg.step(), rows(lg.outputGradient())));
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

  /** The rows of a (batch, ...) tensor, each sketched down to {@link #MAX_WIDTH} values if wider. */
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
   * they fit): value {@code j} is added, with a sign, to bucket {@code h(j)}, both from a fixed hash
   * of {@code j}, so every row of every step is sketched the same way.
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
}
