package dev.splitlearn.models;

import java.util.List;

/**
 * Where a {@link ModelSpec} is cut: stages {@code [0, extractorEnd)} run on the client,
 * {@code [extractorEnd, cloudEnd)} on the server, and in U-shaped mode {@code [cloudEnd, n)} on the
 * client again (an empty classifier means the loss is taken on the server's output directly).
 *
 * @param model the model
 * @param protocol vanilla or U-shaped
 * @param cuts the cut point names
 * @param extractorStart always 0
 * @param extractorEnd end (exclusive) of the client extractor
 * @param cloudEnd end (exclusive) of the server's cloud model
 */
public record SplitPlan(
    ModelSpec model,
    Protocol protocol,
    List<String> cuts,
    int extractorStart,
    int extractorEnd,
    int cloudEnd) {

  /** First stage index (inclusive) of a role's part. */
  public int from(Role role) {
    return switch (role) {
      case EXTRACTOR -> extractorStart;
      case CLOUD -> extractorEnd;
      case CLASSIFIER -> cloudEnd;
    };
  }

  /** End stage index (exclusive) of a role's part. */
  public int to(Role role) {
    return switch (role) {
      case EXTRACTOR -> extractorEnd;
      case CLOUD -> cloudEnd;
      case CLASSIFIER -> model.stages().size();
    };
  }

  /** Whether labels and loss stay on the client. */
  public boolean labelsOnClient() {
    return protocol == Protocol.U_SHAPED;
  }

  /**
   * What client and server must agree on, checked in the handshake: model, sample shape, classes,
   * protocol and cuts in words (and PrivyNet's k, c and channel rule), and a SHA-256 prefix of every stage's
   * description.
   */
  public String fingerprint() {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(model.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String hash = java.util.HexFormat.of().formatHex(digest, 0, 6);
      LocalTopology t = model.localTopology();
      String frozen = t == null ? "" : " (frozen pretrained extractor: k=" + t.layers() + " blocks, c=" + t.channels()
          + " channels, " + t.select().cliName() + ")";
      return model.name() + " " + model.sampleShape() + " " + model.numClasses() + " classes, " + protocol.cliName()
          + " cut at " + cuts + frozen + ", stages #" + hash;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return model.name() + " " + protocol.cliName() + " cut at " + cuts;
  }
}
