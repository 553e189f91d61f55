package dev.splitlearn.models;

import java.util.List;

/**
 * Where a {@link ModelSpec} is cut: stages {@code [0, extractorEnd)} run on the client, {@code
 * [extractorEnd, cloudEnd)} on the server, and in U-shaped mode {@code [cloudEnd, n)} on the client
 * again (an empty classifier means the loss is taken on the server's output directly).
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
   * protocol and cuts in words (and PrivyNet's k, c and channel rule), and a SHA-256 prefix of
   * every stage's description.
   */
  public String fingerprint() {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(model.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String hash = java.util.HexFormat.of().formatHex(digest, 0, 6);
      LocalTopology t = model.localTopology();
      String frozen =
          t == null
              ? ""
              : " (frozen pretrained extractor: k="
                  + t.layers()
                  + " blocks, c="
                  + t.channels()
                  + " channels, "
                  + t.select().cliName()
                  + ")";
      return model.name()
          + " "
          + model.sampleShape()
          + " "
          + model.numClasses()
          + " classes, "
          + protocol.cliName()
          + " cut at "
          + cuts
          + frozen
          + ", stages #"
          + hash;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  /**
   * What a server of this plan and a client must agree on, compared in the handshake: the whole
   * plan ({@link #fingerprint()}) for a single-task model; for a model whose cloud is shared
   * between tasks ({@link ModelSpec#sharesCloud()}) only the cloud part and the cut ({@link
   * #cloudFingerprint()}), so that clients with other extractors, data and classes join the same
   * cloud model.
   */
  public String serverFingerprint() {
    return model.sharesCloud() ? cloudFingerprint() : fingerprint();
  }

  /**
   * The cloud part in words, as fields separated by {@code "; "}: the protocol, the cut shape (one
   * sample), every cloud stage with its layers, and the cloud's output shape. Uses the model's
   * boundary shapes: call it on the engine thread or after they were computed there.
   */
  public String cloudFingerprint() {
    List<ai.djl.ndarray.types.Shape> shapes = model.boundaryShapes();
    StringBuilder cloud = new StringBuilder();
    for (int i = from(Role.CLOUD); i < to(Role.CLOUD); i++) {
      Stage s = model.stages().get(i);
      cloud
          .append(cloud.length() == 0 ? "" : " | ")
          .append(s.name())
          .append('=')
          .append(s.description());
    }
    return SHARED_CLOUD
        + "; protocol "
        + protocol.cliName()
        + "; cut "
        + shapes.get(from(Role.CLOUD)).slice(1)
        + "; cloud "
        + cloud
        + "; output "
        + shapes.get(to(Role.CLOUD)).slice(1);
  }

  private static final String SHARED_CLOUD = "shared cloud";

  /**
   * Why a client's {@link #serverFingerprint()} does not match a server's, in words ("the cut
   * differs: client (128), server (256)"), or the empty string when both are single-task plans
   * (their fingerprints, quoted in full, say it).
   */
  public static String mismatch(String client, String server) {
    boolean c = client.startsWith(SHARED_CLOUD);
    boolean s = server.startsWith(SHARED_CLOUD);
    if (!c && !s) {
      return "";
    }
    if (c != s) {
      return c
          ? "the client runs a multi-task plan (a shared cloud), this server a single-task plan"
          : "this server shares its cloud model between tasks, the client runs a single-task plan";
    }
    java.util.Map<String, String> theirs = fields(client);
    java.util.Map<String, String> ours = fields(server);
    List<String> reasons = new java.util.ArrayList<>();
    for (var e : ours.entrySet()) {
      String other = theirs.getOrDefault(e.getKey(), "nothing");
      if (!other.equals(e.getValue())) {
        reasons.add("the " + e.getKey() + " differs: client " + other + ", server " + e.getValue());
      }
    }
    return reasons.isEmpty() ? "the cloud parts differ" : String.join("; ", reasons);
  }

  private static java.util.Map<String, String> fields(String fingerprint) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String f : fingerprint.substring(SHARED_CLOUD.length()).split("; ")) {
      int space = f.indexOf(' ');
      if (space > 0) {
        out.put(f.substring(0, space), f.substring(space + 1));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return model.name() + " " + protocol.cliName() + " cut at " + cuts;
  }
}
