package dev.splitlearn.models.planner;

/**
 * One measured local topology: what {@code splitlearn characterize} wrote for (k, c).
 *
 * @param layers k, the client's pre-trained blocks
 * @param channels c, the channels kept
 * @param accuracy test accuracy, 0..1
 * @param ssim black-box inversion SSIM of the activations (lower: less leaked)
 */
public record Measurement(int layers, int channels, double accuracy, double ssim) {
  public Measurement {
    if (layers < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "a measured topology needs k >= 1 and c >= 1, got k=" + layers + " c=" + channels);
    }
  }

  /** {@code k=1 c=16}. */
  public String label() {
    return "k=" + layers + " c=" + channels;
  }
}
