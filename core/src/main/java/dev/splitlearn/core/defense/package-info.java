/**
 * Defenses a client applies to the activations it sends, before they leave it (the server is not
 * trusted to apply them): per-sample top-k sparsification ({@link
 * dev.splitlearn.core.defense.TopK}), the clipped Gaussian mechanism of differential privacy
 * ({@link dev.splitlearn.core.defense.ActivationDp}), additive Gaussian or Laplace noise ({@link
 * dev.splitlearn.core.defense.AdditiveNoise}) and uniform quantisation ({@link
 * dev.splitlearn.core.defense.Quantizer}). {@link dev.splitlearn.core.defense.Defenses} is the
 * run's setting, {@link dev.splitlearn.core.defense.ClientDefenses} one client's own; {@link
 * dev.splitlearn.core.defense.DefenseChain} applies it in a fixed order, inside the gradient graph,
 * so the server's gradient reaches the extractor through each defense. On the server side, {@link
 * dev.splitlearn.core.defense.GradientDp} clips and noises the gradient a vanilla server returns.
 */
package dev.splitlearn.core.defense;
