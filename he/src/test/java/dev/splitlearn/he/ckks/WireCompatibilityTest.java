package dev.splitlearn.he.ckks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Parameters;
import dev.splitlearn.he.rlwe.ParametersLiteral;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Files written by wire-format version 1 (test resources {@code wire-v1/}) must stay readable and
 * re-serialize to the same bytes; the primes derived from the literal must not change either (the
 * parameters id would).
 */
class WireCompatibilityTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = WireCompatibilityTest.class.getResourceAsStream("/wire-v1/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource wire-v1/" + name);
      }
      return in.readAllBytes();
    }
  }

  @Test
  void version1FilesAreStillReadable() throws IOException {
    ParametersLiteral lit =
        ParametersLiteral.readFrom(ByteBuffer.wrap(resource("n4096-q40-30-p39.literal")));
    assertEquals(ParameterSets.N4096_Q40_30_P39, lit);
    Parameters params = Parameters.fromLiteral(lit);

    byte[] seededBytes = resource("n4096-seeded.ciphertext");
    Ciphertext seeded = Ciphertext.fromBytes(params, seededBytes);
    assertTrue(seeded.isSeeded());
    assertEquals(1, seeded.level());
    assertEquals(params.defaultScale(), seeded.scale());
    assertArrayEquals(seededBytes, seeded.toBytes());

    byte[] lowBytes = resource("n4096-level0.ciphertext");
    Ciphertext low = Ciphertext.fromBytes(params, lowBytes);
    assertFalse(low.isSeeded());
    assertEquals(0, low.level());
    assertArrayEquals(lowBytes, low.toBytes());
  }
}
