package dev.splitlearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.transport.grpc.GrpcServer;
import dev.splitlearn.transport.grpc.ServerSecurity;
import dev.splitlearn.transport.grpc.TestCertificates;
import dev.splitlearn.transport.grpc.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code splitlearn client} against a server with TLS and tokens: a client without the CA, with a
 * wrong token, or claiming another client's id gets one error line and a non-zero exit.
 */
class SecureClientTest {
  @TempDir Path dir;

  private record Result(int code, String err) {}

  private Result client(String... more) {
    StringWriter err = new StringWriter();
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "client",
                "--data-dir",
                dir.resolve("data").toString(),
                "--out",
                dir.resolve("out").toString(),
                "--clients",
                "2",
                "--epochs",
                "1",
                "--no-progress",
                "--connect-timeout",
                "5",
                "--request-timeout",
                "30"));
    args.addAll(List.of(more));
    int code =
        Main.run(
            args.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
    return new Result(code, err.toString());
  }

  private static void assertRefused(Result r, String fragment) {
    assertNotEquals(0, r.code(), r.err());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("splitlearn: error: ")).toList();
    assertEquals(1, errors.size(), r.err());
    assertTrue(
        errors.get(0).contains(fragment), "'" + fragment + "' missing from: " + errors.get(0));
  }

  @Test
  void refusalsAreOneLineAndANonZeroExit() throws Exception {
    TinyMnist.write(dir.resolve("data"), 40);
    TestCertificates pki = new TestCertificates(Files.createDirectories(dir.resolve("pki")));
    assertEquals(
        0,
        Main.run(
            new String[] {"tokens", "--clients", "2", "--out", dir.resolve("tok").toString()},
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter())));
    Path tokens = dir.resolve("tok/tokens");
    Path token0 = dir.resolve("tok/client-0.token");
    Path stranger = dir.resolve("stranger.token");
    Files.writeString(stranger, Tokens.generate(new java.security.SecureRandom()));
    try (SplitServerRuntime runtime =
            new SplitServerRuntime(
                ModelZoo.get("mnist-cnn", new long[] {1, 28, 28}, 10).plan(Protocol.U_SHAPED),
                1,
                OptimizerSpec.adam(0.001f),
                null,
                new ServerConfig(
                    2, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(30), null, false));
        GrpcServer server =
            GrpcServer.start(
                runtime,
                "127.0.0.1",
                0,
                new ServerSecurity(pki.serverCert, pki.serverKey, null, Tokens.load(tokens)))) {
      String target = "localhost:" + server.port();
      assertRefused(
          client(
              "--server", target, "--client-id", "0", "--tls", "--token-file", token0.toString()),
          "TLS with server " + target + " failed");
      assertRefused(
          client(
              "--server",
              target,
              "--client-id",
              "0",
              "--tls-ca",
              pki.ca.toString(),
              "--token-file",
              stranger.toString()),
          "the bearer token is not one of this server's");
      assertRefused(
          client(
              "--server",
              target,
              "--client-id",
              "1",
              "--tls-ca",
              pki.ca.toString(),
              "--token-file",
              token0.toString()),
          "Hello from client 1: the token presented is client 0's");
      assertRefused(
          client("--server", target, "--client-id", "0", "--tls-ca", pki.ca.toString()),
          "this server needs a bearer token");
    }
    Result again =
        new Result(
            Main.run(
                new String[] {"tokens", "--clients", "2", "--out", dir.resolve("tok").toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())),
            "");
    assertNotEquals(0, again.code(), "tokens are never overwritten");
  }
}
