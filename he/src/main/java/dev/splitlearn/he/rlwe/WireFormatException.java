package dev.splitlearn.he.rlwe;

import java.io.IOException;

/**
 * Thrown when serialized input is malformed: unknown version or kind, values outside the parameters
 * (level, coefficient, length), missing seed or a checksum mismatch. The message names the object,
 * the field and the offending value.
 */
public final class WireFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what is wrong, naming the field and the value
   */
  public WireFormatException(String message) {
    super(message);
  }
}
