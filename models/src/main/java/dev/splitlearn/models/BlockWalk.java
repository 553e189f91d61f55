package dev.splitlearn.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import java.util.Collection;

/** Visits the leaf blocks of initialised blocks in order, with the input shape each one sees. */
final class BlockWalk {
  /** Receives each leaf block (not a sequential or parallel container) and its input shape. */
  interface Visitor {
    void visit(Block leaf, Shape input);
  }

  private BlockWalk() {}

  /** Walks {@code blocks} applied in order to {@code input}; returns the output shape. */
  static Shape walk(Collection<Block> blocks, Shape input, Visitor visitor) {
    Shape shape = input;
    for (Block block : blocks) {
      visitOne(block, shape, visitor);
      shape = block.getOutputShapes(new Shape[] {shape})[0];
    }
    return shape;
  }

  private static void visitOne(Block block, Shape in, Visitor visitor) {
    if (block instanceof SequentialBlock seq) {
      walk(seq.getChildren().values(), in, visitor);
    } else if (block instanceof ParallelBlock par) {
      for (Block child : par.getChildren().values()) {
        visitOne(child, in, visitor);
      }
    } else {
      visitor.visit(block, in);
    }
  }
}
