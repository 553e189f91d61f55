package dev.splitlearn.core.protocol;

import java.io.IOException;

/**
 * A message that cannot be decoded: wrong version, unknown type, truncated, oversized or
 * inconsistent.
 */
public final class MalformedMessageException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the field at fault. */
  public MalformedMessageException(String message) {
    super(message);
  }
}
