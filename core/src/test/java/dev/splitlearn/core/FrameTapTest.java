package dev.splitlearn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.client.ClientConfig;
import dev.splitlearn.core.client.ClientListener;
import dev.splitlearn.core.client.SplitClient;
import dev.splitlearn.core.client.SplitClientRuntime;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.FrameTap;
import dev.splitlearn.core.protocol.FrameTapReader;
import dev.splitlearn.core.protocol.InProcessTransport;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.core.train.Augmentation;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tap file holds every frame both ways, reads back in order, and stays readable when its bound
 * stops it.
 */
class FrameTapTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final OptimizerSpec ADAM = OptimizerSpec.adam(0.003f);
  @TempDir Path dir;

  private void train(FrameTap tap) throws IOException {
    try (SplitClient c = new SplitClient(0, PLAN, 1, ADAM, new InProcessTransport(tap))) {
      new SplitClientRuntime(
              c,
              Fixtures.waves(64, 1),
              null,
              new ClientConfig(
                  ADAM, 32, 1, Augmentation.NONE, Compression.FLOAT32, false, null, false),
              ClientListener.NONE)
          .run();
    }
  }

  @Test
  void everyFrameBothWaysReadsBackInOrder() throws Exception {
    Path file = dir.resolve("tap.bin");
    try (SplitServerRuntime server = Fixtures.server(PLAN, 1, ADAM, null);
        FrameTap tap = new FrameTap(server, file, Long.MAX_VALUE)) {
      assertTrue(tap.handlesOnNetworkThreads(), "as the server it records");
      train(tap);
    }
    List<String> up = new ArrayList<>();
    List<String> down = new ArrayList<>();
    FrameTapReader.read(
        file,
        f -> {
          try {
            Message m = f.decode();
            (f.direction() == FrameTap.TO_SERVER ? up : down).add(m.getClass().getSimpleName());
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
    assertEquals(List.of("Hello", "Forward", "Gradient", "Forward", "Gradient", "Barrier"), up);
    assertEquals(
        List.of("Welcome", "ServerOutput", "Gradient", "ServerOutput", "Gradient", "Ack"), down);
  }

  @Test
  void theSizeBoundStopsRecordingAndACutFileIsReported() throws Exception {
    Path file = dir.resolve("small.bin");
    try (SplitServerRuntime server = Fixtures.server(PLAN, 1, ADAM, null);
        FrameTap tap = new FrameTap(server, file, 4096)) {
      train(tap);
      assertTrue(tap.full());
    }
    assertTrue(Files.size(file) <= 4096);
    List<FrameTapReader.Frame> frames = FrameTapReader.frames(file, FrameTap.TO_SERVER);
    assertEquals(
        "Hello",
        frames.get(0).decode().getClass().getSimpleName(),
        "the frames that fit are there");

    byte[] all = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.bin");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 3));
    IOException e =
        assertThrows(IOException.class, () -> FrameTapReader.frames(cut, FrameTap.TO_SERVER));
    assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    Files.writeString(cut, "not a tap");
    assertTrue(
        assertThrows(IOException.class, () -> FrameTapReader.frames(cut, FrameTap.TO_SERVER))
            .getMessage()
            .contains("not a splitlearn tap file"));
  }
}
