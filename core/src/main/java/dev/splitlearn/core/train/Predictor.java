package dev.splitlearn.core.train;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.data.Dataset;
import java.io.IOException;

/** Anything that turns a batch into logits: a split client, or a whole model. */
@FunctionalInterface
public interface Predictor {
  /** Logits of a batch, row-major (batch, classes). */
  float[] predict(long step, float[] features, Shape shape) throws IOException;

  /** Evaluates this predictor on all of {@code test}. */
  default Evaluation evaluate(Dataset test, int batchSize) throws IOException {
    Evaluation eval = new Evaluation(test.classNames());
    Batches batches = new Batches(test, batchSize);
    batches.inOrder();
    for (int b = 0; b < batches.count(); b++) {
      int n = batches.load(b);
      float[] logits = predict(b, batches.features(n), batches.shape(n));
      eval.add(batches.labels(n), Losses.argmax(logits, test.numClasses()), n);
    }
    return eval;
  }
}
