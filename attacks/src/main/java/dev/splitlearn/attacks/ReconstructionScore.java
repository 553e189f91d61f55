package dev.splitlearn.attacks;

import dev.splitlearn.privacy.Leakage;

/**
 * How close reconstructions are to the originals, per sample and averaged, next to the baseline of
 * guessing the originals' mean for every sample (an oracle's mean: no attacker does better without
 * looking at the activations). SSIM for single-channel square images of side 11 or more; Pearson
 * correlation for every sample (the one shape score of signals). Undefined figures are null.
 *
 * @param samples samples scored
 * @param mse mean squared error
 * @param meanGuessMse the same for the mean guess
 * @param psnrDb peak signal-to-noise ratio (peak: the data range)
 * @param meanGuessPsnrDb the same for the mean guess
 * @param ssim structural similarity, or null
 * @param meanGuessSsim the same for the mean guess, or null
 * @param pearson correlation per sample (0 where a side is constant), averaged
 * @param meanGuessPearson the same for the mean guess
 */
public record ReconstructionScore(
    int samples,
    double mse,
    double meanGuessMse,
    double psnrDb,
    double meanGuessPsnrDb,
    Double ssim,
    Double meanGuessSsim,
    Double pearson,
    Double meanGuessPearson) {

  /**
   * Scores {@code n} reconstructions.
   *
   * @param sampleShape shape of one sample, channels first
   * @param range the data range (peak of PSNR, dynamic range of SSIM)
   */
  public static ReconstructionScore of(
      float[] originals, float[] reconstructions, int n, long[] sampleShape, double range) {
    if (originals.length != reconstructions.length || n < 1 || originals.length % n != 0) {
      throw new IllegalArgumentException(
          "cannot score "
              + reconstructions.length
              + " reconstructed values against "
              + originals.length
              + " original values of "
              + n
              + " samples");
    }
    int len = originals.length / n;
    double[] mean = new double[len];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < len; k++) {
        mean[k] += originals[i * len + k] / (double) n;
      }
    }
    boolean image =
        sampleShape.length == 3
            && sampleShape[0] == 1
            && sampleShape[1] == sampleShape[2]
            && sampleShape[1] >= 11;
    int side = image ? (int) sampleShape[1] : 0;
    double[] sum = new double[8];
    for (int i = 0; i < n; i++) {
      double[] truth = new double[len];
      double[] rec = new double[len];
      for (int k = 0; k < len; k++) {
        truth[k] = originals[i * len + k];
        rec[k] = reconstructions[i * len + k];
      }
      sum[0] += Leakage.mse(truth, rec);
      sum[1] += Leakage.mse(truth, mean);
      sum[2] +=
          Math.min(100, Leakage.psnr(truth, rec, range)); // 100 dB: exact (PSNR is infinite there)
      sum[3] += Math.min(100, Leakage.psnr(truth, mean, range));
      if (image) {
        sum[4] += Leakage.ssim(truth, rec, side, side, range);
        sum[5] += Leakage.ssim(truth, mean, side, side, range);
      }
      double p = Leakage.pearson(truth, rec);
      double q = Leakage.pearson(truth, mean);
      sum[6] += Double.isNaN(p) ? 0 : p; // a constant reconstruction tells nothing of the shape
      sum[7] += Double.isNaN(q) ? 0 : q;
    }
    return new ReconstructionScore(
        n,
        sum[0] / n,
        sum[1] / n,
        sum[2] / n,
        sum[3] / n,
        image ? sum[4] / n : null,
        image ? sum[5] / n : null,
        sum[6] / n,
        sum[7] / n);
  }
}
