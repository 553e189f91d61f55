package dev.splitlearn.core;

import ai.djl.ndarray.types.Shape;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.encrypted.ActivationCipher;
import dev.splitlearn.core.encrypted.Encryption;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.data.Dataset;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** Seeded test data shared with the modules that build on core (through core's test-jar). */
public final class Fixtures {
  /** Length of a synthetic 1D sample, as an MIT-BIH beat. */
  public static final int WAVE_LENGTH = 128;

  private Fixtures() {}

  /** A server for one client, parallel schedule, one epoch, no checkpoints. */
  public static SplitServerRuntime server(
      SplitPlan plan, long seed, OptimizerSpec opt, Encryption encryption) throws IOException {
    return new SplitServerRuntime(
        plan,
        seed,
        opt,
        encryption,
        new ServerConfig(1, Schedule.PARALLEL, 1, 1, true, Duration.ofMinutes(1), null, false));
  }

  /** A client of {@code server} with the handshake done, ready for {@code trainStep}. */
  public static SplitClient joinedClient(
      WireEndpoint server, SplitPlan plan, long seed, OptimizerSpec opt, ActivationCipher cipher)
      throws IOException {
    SplitClient c = new SplitClient(0, plan, seed, opt, new InProcessTransport(server), cipher);
    c.join(Compression.FLOAT32, 1, 1);
    return c;
  }

  /**
   * A raw session with {@code server} for client 0 after the handshake, to send messages by hand.
   */
  public static InProcessTransport session(WireEndpoint server, SplitPlan plan, String heParameters)
      throws IOException {
    InProcessTransport t = new InProcessTransport(server);
    t.exchange(
        new Hello(
            0, MessageCodec.VERSION, plan.fingerprint(), Compression.FLOAT32, heParameters, 1, 1));
    return t;
  }

  /**
   * A server end that records every frame into a {@link dev.splitlearn.core.protocol.FrameTap} file
   * (a curious server's tap), for tests that inspect what the server received.
   */
  public static final class Tap implements WireEndpoint {
    private final java.nio.file.Path file;
    private final dev.splitlearn.core.protocol.FrameTap tap;

    public Tap(WireEndpoint inner) throws IOException {
      file = java.nio.file.Files.createTempFile("splitlearn-tap", ".bin");
      file.toFile().deleteOnExit();
      tap = new dev.splitlearn.core.protocol.FrameTap(inner, file, Long.MAX_VALUE);
    }

    /** The frames the server received so far, in order. */
    public java.util.List<byte[]> frames() throws IOException {
      tap.flush();
      return dev.splitlearn.core.protocol.FrameTapReader.frames(
              file, dev.splitlearn.core.protocol.FrameTap.TO_SERVER)
          .stream()
          .map(dev.splitlearn.core.protocol.FrameTapReader.Frame::frame)
          .toList();
    }

    /** The frames the server sent so far, in order. */
    public java.util.List<byte[]> replies() throws IOException {
      tap.flush();
      return dev.splitlearn.core.protocol.FrameTapReader.frames(
              file, dev.splitlearn.core.protocol.FrameTap.TO_CLIENT)
          .stream()
          .map(dev.splitlearn.core.protocol.FrameTapReader.Frame::frame)
          .toList();
    }

    @Override
    public Connection connect(String peer, java.util.OptionalInt authenticatedClient) {
      return tap.connect(peer, authenticatedClient);
    }
  }

  /** Uniform values in [0, 1) of {@code shape}. */
  public static float[] randomBatch(Shape shape, long seed) {
    Random r = new Random(seed);
    float[] x = new float[(int) shape.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    return x;
  }

  /** {@code n} uniform labels in [0, classes). */
  public static int[] randomLabels(int n, int classes, long seed) {
    Random r = new Random(seed);
    int[] y = new int[n];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(classes);
    }
    return y;
  }

  /** A small 1D data set of 5 classes, each a noisy sine of its own frequency. */
  public static Dataset waves(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * WAVE_LENGTH];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(5);
      double phase = r.nextDouble() * 2 * Math.PI;
      for (int t = 0; t < WAVE_LENGTH; t++) {
        x[i * WAVE_LENGTH + t] =
            (float) (Math.sin(phase + t * (y[i] + 1) * 0.15) + 0.3 * r.nextGaussian());
      }
    }
    return Dataset.of("waves", new int[] {1, WAVE_LENGTH}, x, y, List.of("a", "b", "c", "d", "e"));
  }

  /** Side of a synthetic image of {@link #blobs}. */
  public static final int BLOB_SIDE = 12;

  /**
   * A small 2D data set of 4 classes, 1 x 12 x 12 images: a bright 3 x 3 square somewhere in the
   * quadrant its class names (top left, top right, bottom left, bottom right), on Gaussian noise.
   */
  public static Dataset blobs(int n, long seed) {
    Random r = new Random(seed);
    int side = BLOB_SIDE;
    int half = side / 2;
    float[] x = new float[n * side * side];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(4);
      int top = (y[i] / 2) * half + r.nextInt(half - 2);
      int left = (y[i] % 2) * half + r.nextInt(half - 2);
      for (int p = 0; p < side * side; p++) {
        x[i * side * side + p] = (float) (0.3 * r.nextGaussian());
      }
      for (int dy = 0; dy < 3; dy++) {
        for (int dx = 0; dx < 3; dx++) {
          x[i * side * side + (top + dy) * side + left + dx] += 1f;
        }
      }
    }
    return Dataset.of("blobs", new int[] {1, side, side}, x, y, List.of("tl", "tr", "bl", "br"));
  }
}
