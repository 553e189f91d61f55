package dev.splitlearn.core.party;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;

/**
 * The classification loss every party that holds labels uses: mean softmax cross-entropy on logits.
 */
public final class Losses {
  private static final Loss CROSS_ENTROPY = Loss.softmaxCrossEntropyLoss();

  private Losses() {}

  /** Mean cross-entropy of {@code logits} (batch, classes) against integer {@code labels}. */
  public static NDArray crossEntropy(NDArray logits, int[] labels) {
    NDManager m = logits.getManager();
    long[] wide = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      wide[i] = labels[i];
    }
    return CROSS_ENTROPY.evaluate(new NDList(m.create(wide)), new NDList(logits));
  }

  /** Index of the largest logit of each row. */
  public static int[] argmax(float[] logits, int classes) {
    int[] out = new int[logits.length / classes];
    for (int i = 0; i < out.length; i++) {
      int best = 0;
      for (int k = 1; k < classes; k++) {
        if (logits[i * classes + k] > logits[i * classes + best]) {
          best = k;
        }
      }
      out[i] = best;
    }
    return out;
  }
}
