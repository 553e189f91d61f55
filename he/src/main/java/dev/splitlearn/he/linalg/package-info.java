/**
 * Encrypted linear algebra for the split-learning protocol: the rotation-free batched linear layer
 * {@code z = W a + b} ({@link dev.splitlearn.he.linalg.BatchLayout}, client side {@link
 * dev.splitlearn.he.linalg.BatchClient}, server side {@link
 * dev.splitlearn.he.linalg.BatchedLinearLayer}).
 *
 * <p>Unaudited research code, not constant-time.
 */
package dev.splitlearn.he.linalg;
