package dev.splitlearn.models.planner;

/**
 * What one stage of a model costs per sample, from its shapes.
 *
 * @param name the stage (a cut point of the zoo model)
 * @param forwardFlops forward FLOPs per sample ({@link dev.splitlearn.models.Flops})
 * @param parameters stored parameters
 * @param outputBytes its output per sample as float32: what crosses a link cut after it
 */
public record StageCost(String name, long forwardFlops, long parameters, long outputBytes) {
  public StageCost {
    if (forwardFlops < 0 || parameters < 0 || outputBytes < 0) {
      throw new IllegalArgumentException(
          "stage "
              + name
              + ": costs must be >= 0, got "
              + forwardFlops
              + " FLOPs, "
              + parameters
              + " parameters, "
              + outputBytes
              + " output bytes");
    }
  }
}
