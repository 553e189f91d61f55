package dev.splitlearn.models;

import ai.djl.nn.Block;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One named piece of a model: the unit a cut can fall between. A cut point is named after the stage
 * it follows, so cutting at {@code "conv1"} puts {@code conv1} on the near side of the cut.
 *
 * @param name unique name within its model, used on the command line and in checkpoints
 * @param description human-readable layers, e.g. {@code "Conv2d(1,32,5,pad 2)+ReLU+MaxPool(2)"}
 * @param factory makes a fresh, uninitialised block for this stage
 * @param pruned makes the same block with only {@code c} output channels (filters), for a PrivyNet
 *     client that keeps c channels of this stage and need not compute the others; null when the
 *     stage cannot be pruned that way (e.g. a residual block, whose skip path adds every channel)
 */
public record Stage(
    String name, String description, Supplier<Block> factory, IntFunction<Block> pruned) {
  public Stage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(factory, "factory");
  }

  /** A stage that cannot be pruned. */
  public Stage(String name, String description, Supplier<Block> factory) {
    this(name, description, factory, null);
  }

  /** Returns a new, uninitialised block. */
  public Block newBlock() {
    return factory.get();
  }
}
