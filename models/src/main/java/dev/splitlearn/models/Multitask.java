package dev.splitlearn.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.Map;

/**
 * The multi-task cloud model (Multiple Classification with Split Learning): clients with different
 * data and label sets share one cloud model, each with its own common extractor and local
 * classifier.
 *
 * <p>The cut is a flat vector of {@code embedding} values for every client. A flat vector, not a C
 * x H x W map, because the clients' data differ in rank: an image extractor (2D convolutions) and a
 * heartbeat extractor (1D convolutions) share no spatial layout, and forcing a 1D beat into an
 * image-shaped map would invent one. Each extractor ends in {@code Linear(., E)+ReLU}, so any input
 * size maps to the same cut shape; the cloud model is a two-layer MLP on that vector, and each
 * client's classifier one linear layer to its own classes.
 *
 * <p>Every model has the same stage layout (3 extractor stages, 2 cloud stages, 1 classifier
 * stage), so with the same seed the cloud stages start from the same weights for every client,
 * split or alone. The models are marked {@linkplain ModelSpec#sharesCloud() shared-cloud}: the
 * handshake agrees on the cloud part and the cut shape only ({@link
 * SplitPlan#serverFingerprint()}).
 */
public final class Multitask {
  /** The zoo name. */
  public static final String NAME = "multitask";

  /** Size E of the cut vector when none is given. */
  public static final int DEFAULT_EMBEDDING = 256;

  /** Width of the cloud model's hidden layer. */
  public static final int DEFAULT_CLOUD_HIDDEN = 512;

  private Multitask() {}

  /**
   * The multi-task model for samples of {@code sampleShape}: an image extractor for rank 3 (C x H x
   * W), a signal extractor for rank 2 (C x L), then the shared cloud and a classifier.
   *
   * @param embedding size E of the cut vector, &gt;= 1
   * @throws IllegalArgumentException for another rank, fewer than 2 classes or E &lt; 1
   */
  public static ModelSpec model(long[] sampleShape, int classes, int embedding) {
    return model(sampleShape, classes, embedding, DEFAULT_CLOUD_HIDDEN);
  }

  /**
   * As above, with a shared cloud model of hidden width {@code cloudHidden} (its two layers hold
   * about 2 E H parameters).
   *
   * @throws IllegalArgumentException also for H &lt; 1
   */
  public static ModelSpec model(long[] sampleShape, int classes, int embedding, int cloudHidden) {
    if (cloudHidden < 1) {
      throw new IllegalArgumentException("multitask cloud-hidden must be >= 1, got " + cloudHidden);
    }
    if (embedding < 1) {
      throw new IllegalArgumentException("multitask embedding must be >= 1, got " + embedding);
    }
    if (classes < 2) {
      throw new IllegalArgumentException("multitask classifier needs >= 2 classes, got " + classes);
    }
    List<Stage> extractor =
        switch (sampleShape.length) {
          case 3 ->
              List.of(
                  new Stage(
                      "conv1",
                      "Conv2d(c,32,5,pad 2)+ReLU+MaxPool(2)",
                      () -> ModelZoo.convReluPool2d(32)),
                  new Stage(
                      "conv2",
                      "Conv2d(32,64,5,pad 2)+ReLU+MaxPool(2)+Flatten",
                      () -> ModelZoo.convReluPool2d(64).add(Blocks.batchFlattenBlock())));
          case 2 ->
              List.of(
                  new Stage(
                      "conv1",
                      "Conv1d(c,16,7,pad 3)+LeakyReLU+MaxPool(2)",
                      () -> ModelZoo.convLeakyPool1d(16, 7)),
                  new Stage(
                      "conv2",
                      "Conv1d(16,32,5,pad 2)+LeakyReLU+MaxPool(2)+Flatten",
                      () -> ModelZoo.convLeakyPool1d(32, 5).add(Blocks.batchFlattenBlock())));
          default ->
              throw new IllegalArgumentException(
                  "multitask expects samples of rank 3 (images, C x H x W) or 2"
                      + " (signals, C x L), got shape "
                      + new Shape(sampleShape));
        };
    List<Stage> stages = new java.util.ArrayList<>(extractor);
    stages.add(new Stage("embed", "Linear(.," + embedding + ")+ReLU", () -> dense(embedding)));
    stages.add(
        new Stage(
            "cloud1",
            "Linear(" + embedding + "," + cloudHidden + ")+ReLU",
            () -> dense(cloudHidden)));
    stages.add(
        new Stage(
            "cloud2",
            "Linear(" + cloudHidden + "," + embedding + ")+ReLU",
            () -> dense(embedding)));
    stages.add(
        new Stage(
            "head",
            "Linear(" + embedding + "," + classes + ")",
            () -> Linear.builder().setUnits(classes).build()));
    return new ModelSpec(
        NAME,
        sampleShape,
        classes,
        stages,
        Map.of(Protocol.VANILLA, List.of("embed"), Protocol.U_SHAPED, List.of("embed", "cloud2")),
        true);
  }

  /** Which extractor a sample shape gets: {@code image} (rank 3) or {@code signal} (rank 2). */
  public static String extractorKind(long[] sampleShape) {
    return sampleShape.length == 3 ? "image" : sampleShape.length == 2 ? "signal" : "none";
  }

  private static SequentialBlock dense(int units) {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(units).build())
        .add(Activation.reluBlock());
  }
}
