package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code splitlearn server --order arrival} under {@code splitlearn load}: 20 concurrent sessions
 * whose U-shaped steps interleave all finish, and none is starved.
 */
class LoadTest {
  @TempDir Path dir;

  @Test
  void twentyInterleavedSessionsAllFinishFairly() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String[] common = {
      "--dataset", "mitbih", "--model", "ecg-cnn", "--batch", "16", "--clients", "20"
    };
    StringWriter serverErr = new StringWriter();
    int[] serverCode = {-1};
    Thread server =
        new Thread(
            () ->
                serverCode[0] =
                    Main.run(
                        concat(
                            new String[] {
                              "server",
                              "--port",
                              Integer.toString(port),
                              "--epochs",
                              "1",
                              "--order",
                              "arrival",
                              "--sync-every",
                              "4",
                              "--tap",
                              dir.resolve("tap.bin").toString(),
                              "--out",
                              dir.resolve("server").toString()
                            },
                            common),
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(serverErr)));
    server.start();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            concat(
                new String[] {
                  "load",
                  "--server",
                  "127.0.0.1:" + port,
                  "--sessions",
                  "20",
                  "--steps",
                  "12",
                  "--out",
                  dir.resolve("load").toString()
                },
                common),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(ExitCode.OK, code, err + "\n" + serverErr);
    server.join(60_000);
    assertEquals(ExitCode.OK, serverCode[0], serverErr.toString());
    JsonNode load = new ObjectMapper().readTree(dir.resolve("load/load.json").toFile());
    assertTrue(load.get("slowest_over_median").asDouble() >= 0.5, "no session starved: " + load);
    JsonNode clients =
        new ObjectMapper().readTree(dir.resolve("server/results.json").toFile()).get("clients");
    assertEquals(20, clients.size());
    for (JsonNode c : clients) {
      assertEquals(12, c.get("steps").asLong(), "every session finished its steps: " + c);
    }
    long forwards =
        dev.splitlearn.core.protocol.FrameTapReader.frames(
                dir.resolve("tap.bin"), dev.splitlearn.core.protocol.FrameTap.TO_SERVER)
            .stream()
            .filter(
                f ->
                    dev.splitlearn.core.protocol.MessageCodec.typeName(
                            dev.splitlearn.core.protocol.Frame.of(
                                java.nio.ByteBuffer.wrap(f.frame())))
                        .equals("forward"))
            .count();
    assertEquals(20 * 12, forwards, "the server's tap recorded every forward pass");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
