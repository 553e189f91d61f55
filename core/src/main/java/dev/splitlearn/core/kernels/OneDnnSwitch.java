package dev.splitlearn.core.kernels;

/** Turns the engine's oneDNN (MKL-DNN) kernels on and off; a stand-in replaces it in tests. */
public interface OneDnnSwitch {
  /** Whether the switch can be reached; if not, {@link #unavailableReason()} says why. */
  boolean available();

  /** Why the switch cannot be reached, or an empty string. */
  String unavailableReason();

  /** Whether the engine currently uses oneDNN for the operations that have oneDNN kernels. */
  boolean enabled();

  /**
   * Turns oneDNN on or off for the whole process, effective from the next operation.
   *
   * @throws IllegalStateException if the switch cannot be reached
   */
  void setEnabled(boolean on);

  /** The oneDNN version the engine was built with, or {@code unknown}. */
  String version();
}
