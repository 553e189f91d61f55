package dev.splitlearn.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.Fixtures;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.protocol.Compression;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.RemoteException;
import dev.splitlearn.core.protocol.Schedule;
import dev.splitlearn.core.protocol.WireTransport;
import dev.splitlearn.core.server.ServerConfig;
import dev.splitlearn.core.server.SplitServerRuntime;
import dev.splitlearn.models.ModelZoo;
import dev.splitlearn.models.Protocol;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, mutual TLS and bearer tokens: who gets a session and who is refused, with what reason. */
class GrpcSecurityTest {
  private static final SplitPlan PLAN =
      ModelZoo.get("ecg-cnn", new long[] {1, Fixtures.WAVE_LENGTH}, 5).plan(Protocol.U_SHAPED);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String TOKEN0 = Tokens.generate(RANDOM);
  private static final String TOKEN1 = Tokens.generate(RANDOM);

  @TempDir static Path dir;
  private static TestCertificates pki;

  @BeforeAll
  static void setUp() throws Exception {
    pki = new TestCertificates(dir);
  }

  /** A server runtime for one client (id 0), so a Hello is answered at once. */
  private static SplitServerRuntime runtime() throws IOException {
    return new SplitServerRuntime(
        PLAN,
        1,
        OptimizerSpec.adam(0.001f),
        null,
        new ServerConfig(1, Schedule.PARALLEL, 1, 1, true, Duration.ofSeconds(30), null, false));
  }

  private static Tokens tokens() throws IOException {
    Path f = dir.resolve("tokens");
    Files.writeString(f, "# client tokens\n0 " + TOKEN0 + "\n1 " + TOKEN1 + "\n");
    return Tokens.load(f);
  }

  private static Hello hello(int client) {
    return new Hello(
        client, MessageCodec.VERSION, PLAN.fingerprint(), Compression.FLOAT32, "", 1, 1);
  }

  /** Opens a session as {@code client} and returns the server's answer to the Hello. */
  private static Message join(GrpcServer server, ClientSecurity security, int client)
      throws IOException {
    GrpcLink link =
        GrpcLink.connect(
            "localhost:" + server.port(), Duration.ofSeconds(20), Duration.ofSeconds(20), security);
    try (WireTransport t = new WireTransport(link, new MessageCodec())) {
      return t.exchange(hello(client));
    }
  }

  @Test
  void tlsWithTokensAdmitsTheRightClientAndRefusesEveryoneElseWithAReason() throws Exception {
    try (SplitServerRuntime runtime = runtime();
        GrpcServer server =
            GrpcServer.start(
                runtime,
                "127.0.0.1",
                0,
                new ServerSecurity(pki.serverCert, pki.serverKey, null, tokens()))) {
      Message ok = join(server, new ClientSecurity(true, pki.ca, null, null, TOKEN0), 0);
      assertTrue(ok instanceof Message.Welcome, ok.toString());

      long t0 = System.nanoTime();
      IOException noCa =
          assertThrows(
              IOException.class,
              () -> join(server, new ClientSecurity(true, null, null, null, TOKEN0), 0));
      assertTrue(noCa.getMessage().startsWith("TLS with server localhost:"), noCa.getMessage());
      assertTrue(noCa.getMessage().contains("--tls-ca"), noCa.getMessage());
      assertTrue(
          System.nanoTime() - t0 < 15e9, "a TLS failure is not retried until the connect timeout");

      IOException wrongCa =
          assertThrows(
              IOException.class,
              () -> join(server, new ClientSecurity(true, pki.otherCa, null, null, TOKEN0), 0));
      assertTrue(wrongCa.getMessage().startsWith("TLS with server"), wrongCa.getMessage());

      RemoteException wrongToken =
          assertThrows(
              RemoteException.class,
              () ->
                  join(
                      server,
                      new ClientSecurity(true, pki.ca, null, null, Tokens.generate(RANDOM)),
                      0));
      assertEquals(ErrorCode.UNAUTHENTICATED, wrongToken.code());
      assertTrue(
          wrongToken.getMessage().contains("not one of this server's"), wrongToken.getMessage());

      RemoteException noToken =
          assertThrows(
              RemoteException.class,
              () -> join(server, new ClientSecurity(true, pki.ca, null, null, null), 0));
      assertEquals(ErrorCode.UNAUTHENTICATED, noToken.code());
      assertTrue(noToken.getMessage().contains("needs a bearer token"), noToken.getMessage());

      RemoteException otherId =
          assertThrows(
              RemoteException.class,
              () -> join(server, new ClientSecurity(true, pki.ca, null, null, TOKEN0), 1));
      assertEquals(ErrorCode.PERMISSION_DENIED, otherId.code());
      assertTrue(
          otherId.getMessage().contains("the token presented is client 0's"), otherId.getMessage());
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificateFromTheClientCa() throws Exception {
    try (SplitServerRuntime runtime = runtime();
        GrpcServer server =
            GrpcServer.start(
                runtime,
                "127.0.0.1",
                0,
                new ServerSecurity(pki.serverCert, pki.serverKey, pki.ca, null))) {
      Message ok =
          join(server, new ClientSecurity(true, pki.ca, pki.clientCert, pki.clientKey, null), 0);
      assertTrue(ok instanceof Message.Welcome, ok.toString());
      IOException noCert =
          assertThrows(
              IOException.class,
              () -> join(server, new ClientSecurity(true, pki.ca, null, null, null), 0));
      assertTrue(
          noCert.getMessage().contains("TLS") || noCert.getMessage().contains("unreachable"),
          noCert.getMessage());
    }
  }

  @Test
  void aPlaintextClientCannotTalkToATlsServer() throws Exception {
    try (SplitServerRuntime runtime = runtime();
        GrpcServer server =
            GrpcServer.start(
                runtime,
                "127.0.0.1",
                0,
                new ServerSecurity(pki.serverCert, pki.serverKey, null, null))) {
      GrpcLink link =
          GrpcLink.connect(
              "localhost:" + server.port(),
              Duration.ofSeconds(5),
              Duration.ofSeconds(2),
              ClientSecurity.none());
      try (WireTransport t = new WireTransport(link, new MessageCodec())) {
        IOException e = assertThrows(IOException.class, () -> t.exchange(hello(0)));
        assertTrue(e.getMessage().contains("localhost:" + server.port()), e.getMessage());
      }
    }
  }

  @Test
  void tokenFilesAreCheckedLineByLine() throws Exception {
    Path f = dir.resolve("bad-tokens");
    Files.writeString(f, "0 " + TOKEN0 + "\n1 short\n");
    IllegalArgumentException shortToken =
        assertThrows(IllegalArgumentException.class, () -> Tokens.load(f));
    assertTrue(
        shortToken.getMessage().startsWith("--tokens " + f + " line 2: a token must be"),
        shortToken.getMessage());
    Files.writeString(f, "0 " + TOKEN0 + "\n0 " + TOKEN1 + "\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Tokens.load(f))
            .getMessage()
            .contains("line 2: client 0 has a token already"));
    Files.writeString(f, "0 " + TOKEN0 + "\n1 " + TOKEN0 + "\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Tokens.load(f))
            .getMessage()
            .contains("is another client's too"));
    Files.writeString(f, "# nothing\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Tokens.load(f))
            .getMessage()
            .contains("no tokens"));

    Tokens t = tokens();
    assertEquals(OptionalInt.of(0), t.authenticate(TOKEN0));
    assertEquals(OptionalInt.of(1), t.authenticate(TOKEN1));
    assertEquals(OptionalInt.empty(), t.authenticate(TOKEN1 + "x"));
    assertEquals(OptionalInt.empty(), t.authenticate(""));
    assertEquals(OptionalInt.empty(), t.authenticate(null));
  }
}
