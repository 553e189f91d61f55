package dev.splitlearn.crowd;

import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of one live model part as plain float arrays, so that a thousand devices share one
 * engine model: a device's own weights are kept here and swapped in when it computes. Also the
 * sample-weighted average of the devices' uploads. Call {@link #read} and {@link #load} on the
 * engine thread.
 */
final class Weights {
  private final List<String> names = new ArrayList<>();
  private final List<long[]> shapes = new ArrayList<>();
  private final long count;

  /** The layout (names, shapes) of {@code part}'s parameters. */
  Weights(PartModel part) {
    long n = 0;
    for (NamedTensor t : part.weights()) {
      names.add(t.name());
      shapes.add(t.tensor().shape());
      n += t.tensor().size();
    }
    this.count = n;
  }

  /** Number of parameters: 4 bytes each on the wire. */
  long count() {
    return count;
  }

  /** Bytes of a float32 copy of all parameters. */
  long bytes() {
    return count * Float.BYTES;
  }

  /** Copies of {@code part}'s parameters. */
  float[][] read(PartModel part) {
    List<NamedTensor> ts = part.weights();
    float[][] out = new float[ts.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = ts.get(i).tensor().data();
    }
    return out;
  }

  /** Overwrites {@code part}'s parameters with {@code values}. */
  void load(PartModel part, float[][] values) {
    List<NamedTensor> ts = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      ts.add(new NamedTensor(names.get(i), new FloatTensor(shapes.get(i), values[i])));
    }
    part.loadWeights(ts);
  }

  /** A running sample-weighted sum of device weights; {@link #mean} gives the average. */
  static final class Sum {
    private double[][] sum;
    private long samples;
    private int updates;

    /** Adds {@code w} with weight {@code n}. */
    void add(float[][] w, long n) {
      if (sum == null) {
        sum = new double[w.length][];
        for (int i = 0; i < w.length; i++) {
          sum[i] = new double[w[i].length];
        }
      }
      for (int i = 0; i < w.length; i++) {
        for (int j = 0; j < w[i].length; j++) {
          sum[i][j] += (double) n * w[i][j];
        }
      }
      samples += n;
      updates++;
    }

    /** Number of updates added. */
    int updates() {
      return updates;
    }

    /** The weighted mean, or null if nothing was added. */
    float[][] mean() {
      if (sum == null) {
        return null;
      }
      float[][] out = new float[sum.length][];
      for (int i = 0; i < sum.length; i++) {
        out[i] = new float[sum[i].length];
        for (int j = 0; j < out[i].length; j++) {
          out[i][j] = (float) (sum[i][j] / samples);
        }
      }
      return out;
    }
  }
}
