package dev.splitlearn.core.encrypted;

import java.util.Locale;

/** How the client back-propagates through the server's layer in encrypted training. */
public enum GradientExchange {
  /**
   * The default. The client sends only the gradient of the layer's weight and bias summed over its
   * batch; the server sends its layer's weights with each output so that the client computes its
   * own activation gradients. No per-sample value ever reaches the server in the clear.
   */
  AGGREGATE,
  /**
   * Split Ways' protocol, kept for comparison: the client sends the per-sample gradient of the
   * logits and the server returns the per-sample gradient of the activations. The server then sees
   * each sample's {@code softmax - onehot(label)}, so labels, and can solve for activations.
   */
  PER_SAMPLE;

  /** Parses {@code aggregate} or {@code per-sample}. */
  public static GradientExchange parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "aggregate" -> AGGREGATE;
      case "per-sample" -> PER_SAMPLE;
      default ->
          throw new IllegalArgumentException(
              "unknown gradient exchange '" + s + "' (aggregate, per-sample)");
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
