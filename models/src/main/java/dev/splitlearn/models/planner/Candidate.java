package dev.splitlearn.models.planner;

/**
 * A local topology the planner may choose, with the costs that follow from the model's shapes alone
 * (no training needed, so they are exact, not predicted).
 *
 * @param layers k, the client's frozen pre-trained blocks
 * @param channels c, the channels of block k it keeps and sends
 * @param blockChannels the channels of block k, C (c is in 1..C)
 * @param clientForwardFlops client FLOPs per sample of one forward pass (extractor and, in U-shaped
 *     mode, the classifier), counted as {@link dev.splitlearn.models.Flops} counts them
 * @param clientParameterBytes client parameters (extractor and classifier) as float32
 * @param wireBytesPerSample bytes on the wire per training sample, both directions, messages
 *     included
 * @param secondsPerSample transfer time per training sample over the link (bytes at the bandwidth
 *     plus the latency of each message of a step, shared by the batch)
 */
public record Candidate(
    int layers,
    int channels,
    int blockChannels,
    long clientForwardFlops,
    long clientParameterBytes,
    double wireBytesPerSample,
    double secondsPerSample) {
  public Candidate {
    if (layers < 1 || channels < 1 || channels > blockChannels) {
      throw new IllegalArgumentException(
          "a candidate needs k >= 1 and c in 1..C, got k="
              + layers
              + " c="
              + channels
              + " C="
              + blockChannels);
    }
  }

  /** Client forward MFLOPs per sample. */
  public double clientMflops() {
    return clientForwardFlops / 1e6;
  }

  /** Client parameter kilobytes (1 KB = 1024 bytes). */
  public double clientKb() {
    return clientParameterBytes / 1024.0;
  }

  /** {@code k=1 c=16}. */
  public String label() {
    return "k=" + layers + " c=" + channels;
  }
}
