package dev.splitlearn.core.party;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Sample distance correlation of a batch's raw inputs and its activations on the engine,
 * differentiable in the activations: the NoPeek leakage term (Vepakomma et al. 2020). Same
 * statistic as {@code dev.splitlearn.privacy.Leakage#distanceCorrelation} (double-centred Euclidean
 * distance matrices, V-statistic), which is its reference in the tests.
 */
public final class DistanceCorrelation {
  /**
   * Floor of each squared distance: below it (the diagonal, duplicates) the gradient is cut, so the
   * square root's infinite slope at zero never meets the rounding noise of the norm expansion.
   */
  private static final float FLOOR = 1e-6f;

  private DistanceCorrelation() {}

  /**
   * dCor squared, dCov^2(x, z) / sqrt(dVar^2(x) dVar^2(z)), as a scalar array (0 if either side is
   * constant): the smooth quantity to minimise. Both arrays have the batch on axis 0.
   */
  public static NDArray squared(NDArray x, NDArray z) {
    NDArray a = centredDistances(x.reshape(new Shape(x.getShape().get(0), -1)));
    NDArray b = centredDistances(z.reshape(new Shape(z.getShape().get(0), -1)));
    NDArray xz = a.mul(b).mean();
    NDArray xx = a.mul(a).mean();
    NDArray zz = b.mul(b).mean();
    // the epsilon inside the root: NoPeek can drive the activations of a whole batch together (dead
    // ReLUs), zz to 0, and the root's slope at 0 is infinite (alpha 20 on MNIST: NaN at step 15)
    return xz.div(xx.mul(zz).add(Tensors.scalar(xz.getManager(), 1e-12f)).sqrt());
  }

  /** Double-centred Euclidean distance matrix of the rows of {@code m} (n x d). */
  private static NDArray centredDistances(NDArray rows) {
    long n = rows.getShape().get(0);
    // distances do not change when the batch mean is taken off every row, but the norm expansion's
    // rounding shrinks with the norms (activation rows share a large common part); the diagonal is
    // zero by definition, so it is set, not computed, and sits at the floor without a gradient
    NDArray m = rows.sub(rows.mean(new int[] {0}, true));
    NDArray norms = m.mul(m).sum(new int[] {1}, true); // n x 1
    NDArray offDiagonal = m.getManager().eye((int) n).neg().add(1);
    NDArray gram = m.matMul(m.transpose());
    // no Java numbers in the graph (see Tensors.scalar): the Gram matrix is subtracted twice, and
    // the
    // floor is a clamp, whose bounds libtorch keeps by value
    NDArray sq =
        norms
            .add(norms.transpose())
            .sub(gram)
            .sub(gram)
            .mul(offDiagonal)
            .clip(FLOOR, Float.MAX_VALUE);
    NDArray d = sq.sqrt();
    NDArray rowMean = d.mean(new int[] {1}, true);
    NDArray colMean = d.mean(new int[] {0}, true);
    return d.sub(rowMean).sub(colMean).add(d.mean());
  }
}
