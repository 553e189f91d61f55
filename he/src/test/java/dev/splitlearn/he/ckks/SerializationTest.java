package dev.splitlearn.he.ckks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.he.ckks.TestContext.Values;
import dev.splitlearn.he.rlwe.Ciphertext;
import dev.splitlearn.he.rlwe.Encryptor;
import dev.splitlearn.he.rlwe.EvaluationKeySet;
import dev.splitlearn.he.rlwe.GaloisKey;
import dev.splitlearn.he.rlwe.KeyGenerator;
import dev.splitlearn.he.rlwe.PublicKey;
import dev.splitlearn.he.rlwe.RelinearizationKey;
import dev.splitlearn.he.rlwe.WireFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Wire formats: round trips, sizes, and rejection of tampered and truncated input. */
class SerializationTest {

  static final TestContext TC = TestContext.of("N4096_Q40_30_P39", ParameterSets.N4096_Q40_30_P39);

  static Ciphertext seeded() {
    return TC.encrypt(TC.randomValues(new Random(1), 1), TC.params.maxLevel(), true);
  }

  static void assertSameCiphertext(Ciphertext a, Ciphertext b) {
    assertEquals(a.degree(), b.degree());
    assertEquals(a.level(), b.level());
    assertEquals(a.scale(), b.scale());
    assertEquals(a.isSeeded(), b.isSeeded());
    for (int i = 0; i <= a.degree(); i++) {
      assertTrue(a.value(i).equalsAtLevel(b.value(i), a.level()), "poly " + i + " differs");
    }
  }

  @Test
  void ciphertextsRoundTripThroughDataStreamsAndBuffers() throws IOException {
    Ciphertext sk = seeded();
    Ciphertext pk = TC.encrypt(TC.randomValues(new Random(2), 1), TC.params.maxLevel(), false);
    Ciphertext deg2 = TC.evaluator.mulNew(pk, pk);
    Ciphertext low = TC.evaluator.rescaleNew(TC.evaluator.mulRelinNew(pk, sk));
    for (Ciphertext ct : List.of(sk, pk, deg2, low)) {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      ct.writeTo(new DataOutputStream(bos));
      assertEquals(ct.binarySize(), bos.size());
      Ciphertext viaStream =
          Ciphertext.readFrom(
              TC.params, new DataInputStream(new ByteArrayInputStream(bos.toByteArray())));
      assertSameCiphertext(ct, viaStream);
      ByteBuffer buf = ByteBuffer.allocate(ct.binarySize() + 3);
      ct.writeTo(buf);
      buf.flip();
      assertSameCiphertext(ct, Ciphertext.readFrom(TC.params, buf));
    }
  }

  @Test
  void seededCiphertextIsHalfSizeAndBitPacked() {
    Ciphertext sk = seeded();
    Ciphertext pk = TC.encrypt(TC.randomValues(new Random(2), 1), TC.params.maxLevel(), false);
    int n = TC.params.n();
    int packedRow = n * (40 + 30) / 8;
    assertEquals(25 + packedRow + 32, sk.binarySize());
    assertEquals(25 + 2 * packedRow, pk.binarySize());
    assertTrue(pk.binarySize() < 2 * n * 2 * 8, "not smaller than 64-bit coefficients");
    Ciphertext added = TC.evaluator.addNew(sk, sk);
    assertFalse(added.isSeeded());
    assertEquals(pk.binarySize(), added.binarySize());
  }

  @Test
  void deserializedSeededCiphertextDecrypts() throws IOException {
    Values v = TC.randomValues(new Random(3), 1);
    Ciphertext ct = TC.encrypt(v, TC.params.maxLevel(), true);
    Ciphertext back = Ciphertext.fromBytes(TC.params, ct.toBytes());
    assertTrue(TestContext.precisionBits(v, TC.decrypt(back)) >= 15);
  }

  @Property(tries = 60)
  void anyFlippedByteIsRejected(
      @ForAll @IntRange(min = 0, max = 1 << 20) int where,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] bytes = seeded().toBytes();
    int pos = where % bytes.length;
    bytes[pos] ^= (byte) mask;
    assertThrows(IOException.class, () -> Ciphertext.fromBytes(TC.params, bytes), "flip at " + pos);
  }

  @Test
  void headerTamperingIsReportedByField() {
    byte[] good = seeded().toBytes();
    String[][] cases = {
      {"0", "2", "unsupported version 2"},
      {"1", "75", "kind byte is 'K'"},
      {"2", "0", "parameters id"},
      {"10", "3", "degree 3"},
      {"11", "9", "level 9 exceeds the maximum level 1"},
      {"12", "6", "unknown flags"},
    };
    for (String[] c : cases) {
      byte[] b = good.clone();
      b[Integer.parseInt(c[0])] = (byte) Integer.parseInt(c[1]);
      WireFormatException e =
          assertThrows(WireFormatException.class, () -> Ciphertext.fromBytes(TC.params, b));
      assertTrue(e.getMessage().contains(c[2]), "byte " + c[0] + ": " + e.getMessage());
    }
    byte[] zeroSeed = good.clone();
    java.util.Arrays.fill(zeroSeed, good.length - 36, good.length - 4, (byte) 0);
    assertTrue(
        assertThrows(WireFormatException.class, () -> Ciphertext.fromBytes(TC.params, zeroSeed))
            .getMessage()
            .contains("seed is missing"));
  }

  @Test
  void outOfRangeCoefficientIsRejectedEvenWithAValidChecksum() {
    Ciphertext ct = TC.encrypt(TC.randomValues(new Random(4), 1), 0, false);
    long q0 = TC.params.q(0);
    ct.value(1).coeffs()[0][17] = q0; // fits in the bit width but is not a residue
    byte[] bytes = ct.toBytes();
    WireFormatException e =
        assertThrows(WireFormatException.class, () -> Ciphertext.fromBytes(TC.params, bytes));
    assertTrue(e.getMessage().contains("c1 row 0 coefficient 17 is " + q0), e.getMessage());
  }

  @Test
  void truncatedAndOverlongInputIsRejected() {
    byte[] bytes = seeded().toBytes();
    for (int len :
        new int[] {0, 1, 5, 20, 21, 500, bytes.length - 36, bytes.length - 5, bytes.length - 1}) {
      byte[] cut = java.util.Arrays.copyOf(bytes, len);
      EOFException e =
          assertThrows(
              EOFException.class, () -> Ciphertext.fromBytes(TC.params, cut), "length " + len);
      assertTrue(e.getMessage().startsWith("truncated Ciphertext"), e.getMessage());
      assertThrows(
          EOFException.class,
          () -> Ciphertext.readFrom(TC.params, new DataInputStream(new ByteArrayInputStream(cut))));
    }
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    assertTrue(
        assertThrows(WireFormatException.class, () -> Ciphertext.fromBytes(TC.params, longer))
            .getMessage()
            .contains("1 trailing bytes"));
  }

  @Test
  void ciphertextForOtherParametersIsRejected() {
    TestContext other = TestContext.of("N4096_Q30_25_25_P29", TestContext.N4096_Q30_25_25_P29);
    byte[] bytes = seeded().toBytes();
    assertTrue(
        assertThrows(WireFormatException.class, () -> Ciphertext.fromBytes(other.params, bytes))
            .getMessage()
            .contains("does not match"));
  }

  @Test
  void keysRoundTripAndWork() throws IOException {
    KeyGenerator kg = new KeyGenerator(TC.params);
    PublicKey pk = kg.genPublicKey(TC.sk);
    RelinearizationKey rlk = kg.genRelinearizationKey(TC.sk);
    GaloisKey gk = kg.genGaloisKey(TC.sk, TC.params.galoisElementForRotation(7));
    PublicKey pk2 = PublicKey.readFrom(TC.params, ByteBuffer.wrap(pk.toBytes()));
    RelinearizationKey rlk2 =
        RelinearizationKey.readFrom(TC.params, ByteBuffer.wrap(rlk.toBytes()));
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    gk.writeTo(new DataOutputStream(bos));
    GaloisKey gk2 =
        GaloisKey.readFrom(
            TC.params, new DataInputStream(new ByteArrayInputStream(bos.toByteArray())));
    assertEquals(gk.galoisElement(), gk2.galoisElement());
    assertEquals(pk.binarySize(), pk.toBytes().length);
    assertEquals(rlk.binarySize(), rlk.toBytes().length);
    assertEquals(gk.binarySize(), bos.size());
    int n = TC.params.n();
    int rowsQP = n * (40 + 30 + 39) / 8;
    assertEquals(2 + 8 + 32 + rowsQP + 4, pk.binarySize());
    assertEquals(2 + 8 + 32 + 2 * rowsQP + 4, rlk.binarySize());

    Values a = TC.randomValues(new Random(5), 1);
    Encryptor enc = new Encryptor(TC.params, pk2);
    dev.splitlearn.he.rlwe.Plaintext pt =
        TC.encoder.encodeNew(a.re, TC.params.maxLevel(), TC.params.defaultScale());
    Ciphertext ct = enc.encryptNew(pt);
    Evaluator ev = new Evaluator(TC.params, new EvaluationKeySet(rlk2, List.of(gk2)));
    Ciphertext sq = ev.mulRelinNew(ct, ct);
    ev.rescale(sq, sq);
    Ciphertext rot = ev.rotateNew(sq, 7);
    double[] got = new double[TC.params.slots()];
    TC.encoder.decode(TC.decryptor.decryptNew(rot), got);
    int slots = TC.params.slots();
    double max = 0;
    for (int i = 0; i < slots; i++) {
      double x = a.re[(i + 7) % slots];
      max = Math.max(max, Math.abs(x * x - got[i]));
    }
    assertTrue(max < 1e-3, "max error " + max);

    byte[] tampered = rlk.toBytes();
    tampered[tampered.length / 2] ^= 4;
    assertThrows(
        IOException.class, () -> RelinearizationKey.readFrom(TC.params, ByteBuffer.wrap(tampered)));
    byte[] wrongKind = gk.toBytes();
    assertTrue(
        assertThrows(
                WireFormatException.class,
                () -> RelinearizationKey.readFrom(TC.params, ByteBuffer.wrap(wrongKind)))
            .getMessage()
            .contains("kind"));
    byte[] cut = java.util.Arrays.copyOf(pk.toBytes(), 100);
    assertTrue(
        assertThrows(EOFException.class, () -> PublicKey.readFrom(TC.params, ByteBuffer.wrap(cut)))
            .getMessage()
            .contains("truncated PublicKey"));
  }
}
