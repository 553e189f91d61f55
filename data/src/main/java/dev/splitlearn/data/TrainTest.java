package dev.splitlearn.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A training set and a test set of the same data set: same sample shape and same classes.
 *
 * @param train the training samples
 * @param test the held-out test samples
 */
public record TrainTest(Dataset train, Dataset test) {

  /**
   * Checks that both halves are present and compatible.
   *
   * @throws NullPointerException if either half is null
   * @throws IllegalArgumentException if the sample shapes or class names differ
   */
  public TrainTest {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    if (!Arrays.equals(train.sampleShape(), test.sampleShape())) {
      throw new IllegalArgumentException(
          "train and test sample shapes differ: "
              + Arrays.toString(train.sampleShape())
              + " vs "
              + Arrays.toString(test.sampleShape()));
    }
    if (!train.classNames().equals(test.classNames())) {
      throw new IllegalArgumentException(
          "train and test classes differ: " + train.classNames() + " vs " + test.classNames());
    }
  }
}
