package dev.splitlearn.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR ResNets of He et al. (2016, section 4.2): a 3x3 stem with 16 filters, three stages of
 * {@code n} basic blocks with 16, 32 and 64 filters (stride 2 at the start of stages 2 and 3,
 * projection shortcuts where the shape changes), global average pooling and a linear classifier.
 * Depth is {@code 6n + 2}: n = 3 is ResNet-20, n = 1 is ResNet-8. The stem takes whatever channel
 * count the data has, so the same model runs on 1x28x28 Fashion-MNIST.
 */
final class ResNet {
  private ResNet() {}

  static ModelSpec cifar(String name, long[] shape, int classes, int blocksPerStage) {
    ModelZoo.requireRank(shape, 3, name);
    List<Stage> stages =
        List.of(
            new Stage(
                "stem",
                "Conv2d(c,16,3,pad 1)+BN+ReLU",
                () -> convBn(16, 1).add(Activation.reluBlock())),
            new Stage(
                "stage1", blocksPerStage + "x BasicBlock(16)", () -> stage(16, 1, blocksPerStage)),
            new Stage(
                "stage2",
                blocksPerStage + "x BasicBlock(32, stride 2)",
                () -> stage(32, 2, blocksPerStage)),
            new Stage(
                "stage3",
                blocksPerStage + "x BasicBlock(64, stride 2)",
                () -> stage(64, 2, blocksPerStage)),
            new Stage("pool", "GlobalAvgPool", Pool::globalAvgPool2dBlock),
            new Stage(
                "fc",
                "Linear(64," + classes + ")",
                () -> Linear.builder().setUnits(classes).build()));
    return new ModelSpec(
        name,
        shape,
        classes,
        stages,
        Map.of(Protocol.VANILLA, List.of("stem"), Protocol.U_SHAPED, List.of("stem", "pool")));
  }

  private static SequentialBlock stage(int filters, int stride, int blocks) {
    SequentialBlock stage = new SequentialBlock();
    for (int i = 0; i < blocks; i++) {
      stage.add(basicBlock(filters, i == 0 ? stride : 1, i == 0 && (stride != 1 || filters != 16)));
    }
    return stage;
  }

  private static Block basicBlock(int filters, int stride, boolean project) {
    SequentialBlock main =
        convBn(filters, stride).add(Activation.reluBlock()).add(convBn(filters, 1));
    Block shortcut = project ? projection(filters, stride) : Blocks.identityBlock();
    List<Block> paths = new ArrayList<>(List.of(main, shortcut));
    return new SequentialBlock()
        .add(
            new ParallelBlock(
                outs ->
                    new NDList(outs.get(0).singletonOrThrow().add(outs.get(1).singletonOrThrow())),
                paths))
        .add(Activation.reluBlock());
  }

  private static SequentialBlock convBn(int filters, int stride) {
    return new SequentialBlock()
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride))
                .setFilters(filters)
                .optBias(false)
                .build())
        .add(BatchNorm.builder().build());
  }

  private static SequentialBlock projection(int filters, int stride) {
    return new SequentialBlock()
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(1, 1))
                .optStride(new Shape(stride, stride))
                .setFilters(filters)
                .optBias(false)
                .build())
        .add(BatchNorm.builder().build());
  }
}
