package dev.splitlearn.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The models splitlearn knows by name. Each is a sequence of named stages; input channels and sizes
 * are taken from the data set's sample shape, so {@code cifar-resnet} also runs on 1x28x28.
 */
public final class ModelZoo {
  private static final Map<String, BiFunction<long[], Integer, ModelSpec>> MODELS = new TreeMap<>();

  static {
    MODELS.put("mnist-cnn", ModelZoo::mnistCnn);
    MODELS.put("ecg-cnn", ModelZoo::ecgCnn);
    MODELS.put("ecg-cnn-large", ModelZoo::ecgCnnLarge);
    MODELS.put("cifar-resnet", (shape, classes) -> ResNet.cifar("cifar-resnet", shape, classes, 3));
    MODELS.put(
        "cifar-resnet8", (shape, classes) -> ResNet.cifar("cifar-resnet8", shape, classes, 1));
    MODELS.put(
        Multitask.NAME,
        (shape, classes) -> Multitask.model(shape, classes, Multitask.DEFAULT_EMBEDDING));
  }

  private ModelZoo() {}

  /** Names of all models. */
  public static List<String> names() {
    return List.copyOf(MODELS.keySet());
  }

  /**
   * Returns the named model for samples of {@code sampleShape} and {@code numClasses} classes.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   */
  public static ModelSpec get(String name, long[] sampleShape, int numClasses) {
    BiFunction<long[], Integer, ModelSpec> factory = MODELS.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown model '" + name + "'; known: " + names());
    }
    return factory.apply(sampleShape, numClasses);
  }

  /**
   * {@code mnist-cnn}: Conv2d(1,32,5,pad 2)+ReLU+MaxPool(2) | Conv2d(32,64,5,pad 2)+ReLU+MaxPool(2)
   * +Flatten+Linear(3136,512)+ReLU | Linear(512,10).
   */
  static ModelSpec mnistCnn(long[] shape, int classes) {
    requireRank(shape, 3, "mnist-cnn");
    List<Stage> stages =
        List.of(
            new Stage(
                "conv1",
                "Conv2d(c,32,5,pad 2)+ReLU+MaxPool(2)",
                () -> convReluPool2d(32),
                ModelZoo::convReluPool2d),
            new Stage(
                "conv2",
                "Conv2d(32,64,5,pad 2)+ReLU+MaxPool(2)+Flatten",
                () -> convReluPool2d(64).add(Blocks.batchFlattenBlock()),
                c -> convReluPool2d(c).add(Blocks.batchFlattenBlock())),
            new Stage(
                "fc1",
                "Linear(3136,512)+ReLU",
                () ->
                    new SequentialBlock()
                        .add(Linear.builder().setUnits(512).build())
                        .add(Activation.reluBlock())),
            new Stage(
                "fc2",
                "Linear(512," + classes + ")",
                () -> Linear.builder().setUnits(classes).build()));
    return new ModelSpec(
        "mnist-cnn",
        shape,
        classes,
        stages,
        Map.of(Protocol.VANILLA, List.of("conv1"), Protocol.U_SHAPED, List.of("conv1", "fc1")));
  }

  /** Conv2d(., filters, 5, pad 2) + ReLU + MaxPool(2): mnist-cnn's and the multi-task model's. */
  static SequentialBlock convReluPool2d(int filters) {
    return new SequentialBlock()
        .add(
            Conv2d.builder()
                .setKernelShape(new Shape(5, 5))
                .optPadding(new Shape(2, 2))
                .setFilters(filters)
                .build())
        .add(Activation.reluBlock())
        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
  }

  /**
   * {@code ecg-cnn}, the 1D CNN of Split Ways (Khan et al. 2023) on 128-sample beats:
   * Conv1d(1,16,7,pad 3)+LeakyReLU+MaxPool(2) + Conv1d(16,8,5,pad 2)+LeakyReLU+MaxPool(2)+Flatten |
   * Linear(256,5). The U-shaped default leaves the client classifier empty: the server's layer
   * outputs the logits and the client keeps softmax, labels and loss, as in the paper.
   */
  static ModelSpec ecgCnn(long[] shape, int classes) {
    requireRank(shape, 2, "ecg-cnn");
    List<Stage> stages =
        List.of(
            new Stage(
                "conv1",
                "Conv1d(1,16,7,pad 3)+LeakyReLU+MaxPool(2)",
                () -> convLeakyPool1d(16, 7),
                c -> convLeakyPool1d(c, 7)),
            new Stage(
                "conv2",
                "Conv1d(16,8,5,pad 2)+LeakyReLU+MaxPool(2)+Flatten",
                () -> convLeakyPool1d(8, 5).add(Blocks.batchFlattenBlock()),
                c -> convLeakyPool1d(c, 5).add(Blocks.batchFlattenBlock())),
            new Stage(
                "fc",
                "Linear(256," + classes + ")",
                () -> Linear.builder().setUnits(classes).build()));
    return new ModelSpec(
        "ecg-cnn",
        shape,
        classes,
        stages,
        Map.of(Protocol.VANILLA, List.of("conv2"), Protocol.U_SHAPED, List.of("conv2", "fc")));
  }

  /** {@code ecg-cnn-large}: three conv stages (32, 64, 128 filters) and a 128-unit hidden layer. */
  static ModelSpec ecgCnnLarge(long[] shape, int classes) {
    requireRank(shape, 2, "ecg-cnn-large");
    List<Stage> stages =
        List.of(
            new Stage(
                "conv1",
                "Conv1d(1,32,5,pad 2)+LeakyReLU+MaxPool(2)",
                () -> convLeakyPool1d(32, 5),
                c -> convLeakyPool1d(c, 5)),
            new Stage(
                "conv2",
                "Conv1d(32,64,5,pad 2)+LeakyReLU+MaxPool(2)",
                () -> convLeakyPool1d(64, 5),
                c -> convLeakyPool1d(c, 5)),
            new Stage(
                "conv3",
                "Conv1d(64,128,3,pad 1)+LeakyReLU+MaxPool(2)+Flatten",
                () -> convLeakyPool1d(128, 3).add(Blocks.batchFlattenBlock()),
                c -> convLeakyPool1d(c, 3).add(Blocks.batchFlattenBlock())),
            new Stage(
                "fc1",
                "Linear(.,128)+LeakyReLU",
                () ->
                    new SequentialBlock()
                        .add(Linear.builder().setUnits(128).build())
                        .add(Activation.leakyReluBlock(0.01f))),
            new Stage(
                "fc2",
                "Linear(128," + classes + ")",
                () -> Linear.builder().setUnits(classes).build()));
    return new ModelSpec(
        "ecg-cnn-large",
        shape,
        classes,
        stages,
        Map.of(Protocol.VANILLA, List.of("conv2"), Protocol.U_SHAPED, List.of("conv2", "fc1")));
  }

  /**
   * Conv1d(., filters, kernel, same padding) + LeakyReLU(0.01) + MaxPool(2): the 1D models' block.
   */
  static SequentialBlock convLeakyPool1d(int filters, int kernel) {
    return new SequentialBlock()
        .add(
            Conv1d.builder()
                .setKernelShape(new Shape(kernel))
                .optPadding(new Shape(kernel / 2))
                .setFilters(filters)
                .build())
        .add(Activation.leakyReluBlock(0.01f))
        .add(Pool.maxPool1dBlock(new Shape(2), new Shape(2)));
  }

  static void requireRank(long[] shape, int rank, String model) {
    if (shape.length != rank) {
      throw new IllegalArgumentException(
          model
              + " expects samples of rank "
              + rank
              + " (channels first), got shape "
              + new Shape(shape));
    }
  }
}
