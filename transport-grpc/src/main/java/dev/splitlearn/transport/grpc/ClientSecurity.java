package dev.splitlearn.transport.grpc;

import java.nio.file.Path;

/**
 * How the client checks the server and proves who it is.
 *
 * @param tls whether to speak TLS (implied by {@code ca})
 * @param ca PEM certificate(s) of the CA that signed the server's certificate; null trusts the Java
 *     installation's CAs
 * @param certificate PEM client certificate for mutual TLS, or null
 * @param key PEM private key (PKCS#8) of {@code certificate}, or null
 * @param token bearer token sent with every call, or null
 */
public record ClientSecurity(boolean tls, Path ca, Path certificate, Path key, String token) {
  public ClientSecurity {
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    tls = tls || ca != null || certificate != null;
  }

  /** Plaintext, no token (loopback and tests). */
  public static ClientSecurity none() {
    return new ClientSecurity(false, null, null, null, null);
  }
}
