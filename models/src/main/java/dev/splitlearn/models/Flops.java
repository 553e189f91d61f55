package dev.splitlearn.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import java.util.List;

/**
 * Counts forward floating-point operations of convolution and linear layers (2 per multiply-add),
 * per sample. Activations, pooling and normalisation are not counted; a training step costs about
 * three forward passes.
 */
public final class Flops {
  private Flops() {}

  /** Forward FLOPs per sample of initialised {@code blocks} applied in order to {@code input}. */
  public static long forwardPerSample(List<Block> blocks, Shape input) {
    long[] flops = {0};
    BlockWalk.walk(blocks, input, (block, in) -> flops[0] += count(block, in));
    return flops[0] / Math.max(1, input.get(0));
  }

  private static long count(Block block, Shape in) {
    if (block instanceof Convolution || block instanceof Linear) {
      Shape out = block.getOutputShapes(new Shape[] {in})[0];
      long weights = weightSize(block);
      long positions =
          block instanceof Linear
              ? out.size() / out.get(out.dimension() - 1)
              : out.size() / out.get(1);
      return 2 * weights * positions;
    }
    return 0;
  }

  private static long weightSize(Block block) {
    for (Parameter p : block.getParameters().values()) {
      if (p.getType() == Parameter.Type.WEIGHT) {
        return p.getArray().getShape().size();
      }
    }
    return 0;
  }

  /** Number of stored parameters (weights, biases, normalisation statistics) of {@code blocks}. */
  public static long parameterCount(List<Block> blocks) {
    long n = 0;
    for (Block b : blocks) {
      for (Parameter p : b.getParameters().values()) {
        n += p.getArray().getShape().size(); // BatchNorm running statistics included
      }
    }
    return n;
  }
}
