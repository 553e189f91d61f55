package dev.splitlearn.models;

import java.util.Arrays;

/**
 * PrivyNet's local topology: the client runs the first {@code layers} stages (blocks) of a
 * pre-trained model, frozen, and sends {@code channels} of the last block's output channels, chosen
 * by {@code select}. Part of the plan, so client and server must agree on it (the handshake).
 *
 * @param layers the blocks the client runs, k &gt;= 1 (the cut in blocks)
 * @param channels the channels it keeps and sends, c
 * @param select how they were chosen
 * @param indices the chosen channels (length c), or null where they are not known (the server)
 */
public record LocalTopology(int layers, int channels, ChannelSelect select, int[] indices) {
  public LocalTopology {
    if (layers < 1) {
      throw new IllegalArgumentException("--layers must be >= 1, got " + layers);
    }
    if (channels < 1) {
      throw new IllegalArgumentException("--channels must be >= 1, got " + channels);
    }
    if (select == null) {
      throw new IllegalArgumentException("--channel-select must be given");
    }
    if (indices != null && indices.length != channels) {
      throw new IllegalArgumentException(
          "--channels " + channels + " but " + indices.length + " channel indices");
    }
    indices = indices == null ? null : indices.clone();
  }

  /** The chosen channels, or null. */
  @Override
  public int[] indices() {
    return indices == null ? null : indices.clone();
  }

  /** The same topology without its indices (what a server knows). */
  public LocalTopology withoutIndices() {
    return new LocalTopology(layers, channels, select, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalTopology t
        && t.layers == layers
        && t.channels == channels
        && t.select == select
        && Arrays.equals(t.indices, indices);
  }

  @Override
  public int hashCode() {
    return (layers * 31 + channels) * 31 + select.hashCode();
  }

  @Override
  public String toString() {
    return "k="
        + layers
        + " c="
        + channels
        + " "
        + select.cliName()
        + (indices == null ? "" : " " + Arrays.toString(indices));
  }
}
