package dev.splitlearn.transport.grpc;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Throw-away PKI for tests, written as PEM files: a CA, a server certificate for localhost and
 * 127.0.0.1 signed by it, a client certificate signed by it, and a second, unrelated CA.
 */
public final class TestCertificates {
  public final Path ca;
  public final Path otherCa;
  public final Path serverCert;
  public final Path serverKey;
  public final Path clientCert;
  public final Path clientKey;

  /** Writes the files into {@code dir}. */
  public TestCertificates(Path dir) throws Exception {
    KeyPair caKeys = keys();
    X509CertificateHolder caCert =
        certificate("CN=splitlearn test CA", caKeys, "CN=splitlearn test CA", caKeys, true);
    KeyPair otherKeys = keys();
    X509CertificateHolder other =
        certificate("CN=other CA", otherKeys, "CN=other CA", otherKeys, true);
    KeyPair serverKeys = keys();
    X509CertificateHolder server =
        certificate("CN=localhost", serverKeys, "CN=splitlearn test CA", caKeys, false);
    KeyPair clientKeys = keys();
    X509CertificateHolder client =
        certificate("CN=client", clientKeys, "CN=splitlearn test CA", caKeys, false);
    ca = write(dir.resolve("ca.pem"), caCert);
    otherCa = write(dir.resolve("other-ca.pem"), other);
    serverCert = write(dir.resolve("server.pem"), server);
    serverKey = writeKey(dir.resolve("server.key"), serverKeys);
    clientCert = write(dir.resolve("client.pem"), client);
    clientKey = writeKey(dir.resolve("client.key"), clientKeys);
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256, new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509CertificateHolder certificate(
      String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, boolean isCa)
      throws Exception {
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name(issuer),
            new BigInteger(64, new SecureRandom()),
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            new X500Name(subject),
            subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (!isCa) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
    }
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()));
  }

  private static Path write(Path file, X509CertificateHolder cert) throws IOException {
    return writePem(file, new PemObject("CERTIFICATE", cert.getEncoded()));
  }

  private static Path writeKey(Path file, KeyPair keys) throws IOException {
    return writePem(file, new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded())); // PKCS#8
  }

  private static Path writePem(Path file, PemObject pem) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(pem);
    }
    Files.writeString(file, s.toString());
    return file;
  }
}
