package dev.splitlearn.he.rlwe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.ckks.ParameterSets;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ParametersTest {

  static Stream<ParametersLiteral> namedSets() {
    return Stream.of(
        ParameterSets.N8192_QP_60_40_40_60,
        ParameterSets.N16384_QP_60_40X7_60,
        ParameterSets.SPLIT_N8192_Q45_30_P55,
        ParameterSets.SPLIT_N4096_Q45_30,
        ParameterSets.N4096_Q40_30_P39);
  }

  @ParameterizedTest
  @MethodSource("namedSets")
  void namedSetsAreValidAndSecure(ParametersLiteral lit) {
    Parameters p = Parameters.fromLiteral(lit);
    int[] limits = {27, 54, 109, 218, 438, 881};
    assertTrue(p.logQP() <= limits[p.logN() - 10], p.toString());
    for (int i = 0; i < p.qCount(); i++) {
      assertEquals(lit.logQ()[i], 64 - Long.numberOfLeadingZeros(p.q(i)));
      assertEquals(1, p.q(i) % (2L * p.n()));
    }
    assertEquals(Math.scalb(1.0, lit.logDefaultScale()), p.defaultScale());
  }

  @ParameterizedTest
  @CsvSource({
    "10, 28, '28', 27",
    "11, 55, '30,25', 54",
    "12, 110, '40,30,40', 109",
    "13, 219, '60,40,40,40,39', 218",
    "14, 440, '60,60,60,60,60,60,60,20', 438",
    "15, 900, '60,60,60,60,60,60,60,60,60,60,60,60,60,60,60', 881"
  })
  void insecureSetsAreRefusedNamingValueAndLimit(int logN, int logQP, String sizes, int limit) {
    String[] parts = sizes.split(",");
    int[] logQ = new int[parts.length];
    int total = 0;
    for (int i = 0; i < parts.length; i++) {
      logQ[i] = Integer.parseInt(parts[i].trim());
      total += logQ[i];
    }
    assertEquals(logQP, total);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Parameters.fromLiteral(ParametersLiteral.of(logN, logQ, new int[0], 20)));
    assertTrue(e.getMessage().contains("insecure"), e.getMessage());
    assertTrue(e.getMessage().contains("log2(QP)=" + logQP), e.getMessage());
    assertTrue(e.getMessage().contains(limit + " bits"), e.getMessage());
  }

  @Test
  void boundaryIsAcceptedAndPrimesCountTowardsTheLimit() {
    Parameters.fromLiteral(ParametersLiteral.of(12, new int[] {40, 30}, new int[] {39}, 30));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Parameters.fromLiteral(
                    ParametersLiteral.of(12, new int[] {40, 30}, new int[] {40}, 30)));
    assertTrue(e.getMessage().contains("log2(QP)=110"), e.getMessage());
  }

  @Test
  void otherInvalidLiteralsAreRefused() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Parameters.fromLiteral(ParametersLiteral.of(9, new int[] {20}, new int[0], 10)))
            .getMessage()
            .contains("logN=9"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Parameters.fromLiteral(
                        ParametersLiteral.of(13, new int[] {61}, new int[0], 40)))
            .getMessage()
            .contains("61"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Parameters.fromLiteral(ParametersLiteral.of(13, new int[0], new int[0], 40)))
            .getMessage()
            .contains("1 to 62 primes"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Parameters.fromLiteral(
                        new ParametersLiteral(
                            13,
                            new int[] {40},
                            new int[0],
                            30,
                            SecretDistribution.UNIFORM_TERNARY,
                            -1)))
            .getMessage()
            .contains("sigma=-1"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Parameters.fromLiteral(ParametersLiteral.of(13, new int[] {40}, new int[0], 0)))
            .getMessage()
            .contains("logDefaultScale=0"));
  }

  /**
   * With sigma below 1/6 the error bound floor(6 sigma) is 0: a ciphertext is noiseless and the
   * secret key is (m - c0) / c1 from a single one. Any width under the HE standard's 3.19 is
   * refused.
   */
  @Test
  void anErrorNarrowerThanTheStandardsIsRefused() {
    for (double sigma : new double[] {0.1, 1.0 / 6, 1.0, 3.0, 3.18}) {
      String m =
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      Parameters.fromLiteral(
                          new ParametersLiteral(
                              12,
                              new int[] {40, 30},
                              new int[0],
                              30,
                              SecretDistribution.UNIFORM_TERNARY,
                              sigma)))
              .getMessage();
      assertTrue(m.startsWith("insecure parameters: sigma=" + sigma), m);
    }
    assertEquals(
        19,
        Parameters.fromLiteral(
                new ParametersLiteral(
                    12,
                    new int[] {40, 30},
                    new int[0],
                    30,
                    SecretDistribution.UNIFORM_TERNARY,
                    3.2))
            .errorBound(),
        "the default 3.2 bounds the error at 19");
  }

  @Test
  void literalRoundTripsAndRejectsTampering() throws IOException {
    ParametersLiteral lit = ParameterSets.SPLIT_N8192_Q45_30_P55;
    byte[] bytes = lit.toBytes();
    assertEquals(lit.binarySize(), bytes.length);
    assertEquals(lit, ParametersLiteral.readFrom(ByteBuffer.wrap(bytes)));
    assertEquals(
        Parameters.fromLiteral(lit).id(),
        Parameters.fromLiteral(ParametersLiteral.readFrom(ByteBuffer.wrap(bytes))).id());
    assertNotEquals(
        Parameters.fromLiteral(lit).id(),
        Parameters.fromLiteral(ParameterSets.N8192_QP_60_40_40_60).id());
    byte[] v2 = bytes.clone();
    v2[0] = 2;
    WireFormatException e =
        assertThrows(
            WireFormatException.class, () -> ParametersLiteral.readFrom(ByteBuffer.wrap(v2)));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    byte[] flipped = bytes.clone();
    flipped[3] ^= 1;
    // a flipped length byte reads as truncated input, any other byte fails the checksum: both are
    // IOExceptions
    assertThrows(IOException.class, () -> ParametersLiteral.readFrom(ByteBuffer.wrap(flipped)));
    byte[] flippedSigma = bytes.clone();
    flippedSigma[bytes.length - 6] ^= 1;
    assertTrue(
        assertThrows(
                WireFormatException.class,
                () -> ParametersLiteral.readFrom(ByteBuffer.wrap(flippedSigma)))
            .getMessage()
            .contains("checksum mismatch"));
    EOFException eof =
        assertThrows(
            EOFException.class,
            () -> ParametersLiteral.readFrom(ByteBuffer.wrap(bytes, 0, bytes.length - 1)));
    assertTrue(eof.getMessage().contains("truncated ParametersLiteral"), eof.getMessage());
  }
}
