package dev.splitlearn.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * Keeps some of the channels of its input, in a given order: the last step of PrivyNet's client
 * extractor. The input is {@code (N, C, ...)} or, after a flatten, {@code (N, C * P)} laid out
 * channel by channel (as DJL's batch flatten lays out {@code (N, C, H, W)}); the output has the
 * kept channels only, {@code (N, c, ...)} or {@code (N, c * P)}. No parameters.
 *
 * <p>A server builds the block without indices, only to know the shape its cloud part receives;
 * running that stand-in fails.
 */
public final class ChannelSelectBlock extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int total;
  private final int kept;
  private final int[] indices;
  private final boolean identity; // keeps every channel in order: forward passes the input through

  /**
   * @param total channels of the input, C
   * @param kept channels kept, c
   * @param indices the kept channels (length c, distinct, in 0..C-1), or null for a shape-only
   *     stand-in
   */
  public ChannelSelectBlock(int total, int kept, int[] indices) {
    super(VERSION);
    if (kept < 1 || kept > total) {
      throw new IllegalArgumentException("--channels must be in 1.." + total + ", got " + kept);
    }
    if (indices != null) {
      if (indices.length != kept
          || Arrays.stream(indices).distinct().count() != kept
          || Arrays.stream(indices).anyMatch(i -> i < 0 || i >= total)) {
        throw new IllegalArgumentException(
            "channel indices must be "
                + kept
                + " distinct channels of 0.."
                + (total - 1)
                + ", got "
                + Arrays.toString(indices));
      }
    }
    this.total = total;
    this.kept = kept;
    this.indices = indices == null ? null : indices.clone();
    this.identity = isIdentity(total, kept, indices);
  }

  /** The selection of all {@code c} channels in order: what follows a block pruned to them. */
  public static ChannelSelectBlock identity(int c) {
    int[] all = new int[c];
    Arrays.setAll(all, i -> i);
    return new ChannelSelectBlock(c, c, all);
  }

  private static boolean isIdentity(int total, int kept, int[] indices) {
    if (indices == null || kept != total) {
      return false;
    }
    for (int i = 0; i < kept; i++) {
      if (indices[i] != i) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    if (indices == null) {
      throw new IllegalStateException(
          "a shape-only channel selection (the server's view) cannot run");
    }
    if (identity) {
      return inputs;
    }
    NDArray x = inputs.singletonOrThrow();
    Shape s = x.getShape();
    boolean flat = s.dimension() == 2;
    NDArray byChannel = flat ? x.reshape(s.get(0), total, -1) : x;
    NDList picked = new NDList(kept);
    for (int i : indices) {
      picked.add(byChannel.get(new NDIndex(":, {}:{}", i, i + 1)));
    }
    NDArray out = kept == 1 ? picked.get(0) : NDArrays.concat(picked, 1);
    return new NDList(flat ? out.reshape(s.get(0), -1) : out);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape s = inputShapes[0];
    if (s.dimension() == 2) {
      if (s.get(1) % total != 0) {
        throw new IllegalArgumentException(
            "cannot select channels: " + s + " is not " + total + " channels");
      }
      return new Shape[] {new Shape(s.get(0), s.get(1) / total * kept)};
    }
    if (s.dimension() < 3 || s.get(1) != total) {
      throw new IllegalArgumentException(
          "cannot select channels: " + s + " does not have " + total + " channels");
    }
    long[] out = s.getShape().clone(); // getShape() is the shape's own array
    out[1] = kept;
    return new Shape[] {new Shape(out)};
  }

  /** The kept channels in order, or null for a shape-only stand-in. */
  public int[] indices() {
    return indices == null ? null : indices.clone();
  }

  @Override
  public String toString() {
    return "ChannelSelect(" + kept + " of " + total + ")";
  }
}
