package dev.splitlearn.transport.grpc;

import java.nio.file.Path;

/**
 * How the server authenticates itself and its clients.
 *
 * @param tlsCertificate PEM certificate chain of the server, or null for plaintext
 * @param tlsKey PEM private key (PKCS#8) of that certificate, or null
 * @param clientCa PEM certificate(s) of the CA that signs client certificates: when given, every
 *     client must present a certificate it signed (mutual TLS); null for none
 * @param tokens bearer tokens by client id: when given, every call must carry the token of the
 *     client id it opens a session for; null for none
 */
public record ServerSecurity(Path tlsCertificate, Path tlsKey, Path clientCa, Tokens tokens) {
  public ServerSecurity {
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (clientCa != null && tlsCertificate == null) {
      throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
    }
  }

  /** Plaintext, no authentication (loopback and tests). */
  public static ServerSecurity none() {
    return new ServerSecurity(null, null, null, null);
  }

  /** Whether the server speaks TLS. */
  public boolean tls() {
    return tlsCertificate != null;
  }
}
