package dev.splitlearn.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.Hello;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sparse and bit-packed layouts of activations: exact round trips, the sizes they promise, the
 * fallbacks, the Hello that announces them, and the refusal of every kind of malformed payload.
 */
class ActivationLayoutTest {
  private static final int DEFAULT = MessageCodec.DEFAULT_MAX_BYTES;
  private static final MessageCodec SPARSE =
      new MessageCodec(DEFAULT, Compression.FLOAT32, ActivationEncoding.SPARSE);

  /** {@code rows x cols} values, a share {@code density} of them non-zero, at random positions. */
  static float[] sparse(long seed, int n, double density) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      if (r.nextDouble() < density) {
        v[i] = (float) r.nextGaussian();
      }
    }
    return v;
  }

  private static Forward forward(long[] shape, float[] v) {
    return new Forward(0, 3, true, new FloatTensor(shape, v), null);
  }

  private static Forward roundTrip(MessageCodec codec, Forward f) throws MalformedMessageException {
    byte[] bytes = codec.encode(f);
    assertEquals(codec.size(f), bytes.length, "size() is the encoded length");
    return (Forward) new MessageCodec().decode(bytes); // any codec reads any layout
  }

  /** The byte at which a Forward's activation tensor announces its encoding. */
  private static int encodingAt(int rank) {
    return 1 + 1 + 4 + 8 + 1 + 1 + 8 * rank;
  }

  @Test
  void sparseActivationsRoundTripExactlyAndShrinkWithTheShareKept() throws Exception {
    long[] shape = {4, 2, 5000}; // long runs of zeros: gaps of 1, 2 and 3 varint bytes
    for (double density : new double[] {0, 0.0001, 0.01, 0.1, 0.5}) {
      float[] v = sparse(7, 40_000, density);
      Forward f = forward(shape, v);
      Forward back = roundTrip(SPARSE, f);
      assertArrayEquals(v, back.activations().data(), 0f, "density " + density);
      long dense = new MessageCodec().size(f);
      long sparse = SPARSE.size(f);
      assertTrue(sparse <= dense, density + ": " + sparse + " > " + dense);
      if (density <= 0.1) {
        long nnz = Arrays.stream(box(v)).filter(x -> x != 0).count();
        assertTrue(
            sparse <= dense - 40_000 * 4 + nnz * (4 + 3) + 64,
            "about 4 bytes a value plus its gap");
      }
    }
    float[] full = sparse(8, 40_000, 1);
    assertEquals(
        new MessageCodec().size(forward(shape, full)),
        SPARSE.size(forward(shape, full)),
        "dense when sparse is not smaller");
  }

  @Test
  void sparseValuesTakeTheCodecsCompression() throws Exception {
    float[] v = sparse(9, 10_000, 0.1);
    for (Compression c : Compression.values()) {
      MessageCodec codec = new MessageCodec(DEFAULT, c, ActivationEncoding.SPARSE);
      Forward back = roundTrip(codec, forward(new long[] {10, 1000}, v));
      float[] w = back.activations().data();
      for (int i = 0; i < v.length; i++) {
        assertTrue(v[i] != 0 || w[i] == 0, c + ": a zero stays a zero");
        assertEquals(
            v[i],
            w[i],
            c == Compression.FLOAT32 ? 0 : c == Compression.FLOAT16 ? 4e-3 : 0.03,
            c.cliName());
      }
    }
  }

  @Test
  void packedQuantisedActivationsArriveBitForBitInBitsPerValue() throws Exception {
    Random r = new Random(3);
    float[] x = new float[64 * 6272];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.max(0, r.nextGaussian() * 2 + 0.5); // ReLU-like: many exact zeros
    }
    for (int bits = 1; bits <= 8; bits++) {
      float[] q = dev.splitlearn.core.defense.QuantizerAccess.quantize(x, bits);
      MessageCodec codec =
          new MessageCodec(DEFAULT, Compression.FLOAT32, ActivationEncoding.packed(bits));
      Forward f = forward(new long[] {64, 32, 14, 14}, q);
      Forward back = roundTrip(codec, f);
      assertArrayEquals(
          q, back.activations().data(), 0f, bits + " bits: the quantiser's levels, bit for bit");
      long payload = (x.length * (long) bits + 7) / 8;
      assertEquals(
          1 + 1 + 4 + 8 + 1 + (1 + 8 * 4 + 1) + (1 + 4 + 4) + payload + 4,
          codec.size(f),
          bits + " bits");
    }
  }

  @Test
  void packingAnyTensorRoundsToTheNearestLevel() throws Exception {
    float[] v = sparse(4, 5000, 1);
    MessageCodec codec =
        new MessageCodec(DEFAULT, Compression.FLOAT32, ActivationEncoding.packed(3));
    float[] w = roundTrip(codec, forward(new long[] {5, 1000}, v)).activations().data();
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (float x : v) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    double step = (hi - lo) / 7.0;
    for (int i = 0; i < v.length; i++) {
      assertTrue(Math.abs(v[i] - w[i]) <= step / 2 * (1 + 1e-5), "value " + i);
    }
    float[] constant = new float[100];
    Arrays.fill(constant, -2.5f);
    assertArrayEquals(
        constant, roundTrip(codec, forward(new long[] {100}, constant)).activations().data(), 0f);
    assertEquals(
        0, roundTrip(codec, forward(new long[] {0, 4}, new float[0])).activations().size());
  }

  @Test
  void nonFiniteActivationsGoAsFloat32AndOtherTensorsStayDense() throws Exception {
    float[] v = sparse(5, 1000, 0.1);
    v[17] = Float.NaN;
    for (ActivationEncoding a :
        new ActivationEncoding[] {ActivationEncoding.SPARSE, ActivationEncoding.packed(2)}) {
      MessageCodec codec = new MessageCodec(DEFAULT, Compression.INT8, a);
      byte[] bytes = codec.encode(forward(new long[] {10, 100}, v));
      assertEquals(
          Compression.FLOAT32.wire(),
          bytes[encodingAt(2)],
          a + ": float32, so the server sees the NaN");
      Gradient g =
          new Gradient(0, 1, new FloatTensor(new long[] {10, 100}, sparse(6, 1000, 0.1)), 0.5f);
      byte[] gb = codec.encode(g);
      assertEquals(
          Compression.INT8.wire(),
          gb[1 + 1 + 4 + 8 + 4 + 1 + 16],
          a + ": gradients keep the compression");
    }
  }

  @Test
  void theHelloAnnouncesTheLayoutAndADenseHelloIsUnchanged() throws Exception {
    MessageCodec codec = new MessageCodec();
    Hello dense = new Hello(1, MessageCodec.VERSION, "plan", Compression.FLOAT16, "", 3, 100);
    Hello packed =
        new Hello(
            1,
            MessageCodec.VERSION,
            "plan",
            Compression.FLOAT16,
            "",
            3,
            100,
            ActivationEncoding.packed(4));
    byte[] d = codec.encode(dense);
    assertEquals(1 + 1 + 4 + 4 + 2 + 4 + 1 + 2 + 4 + 8, d.length, "the layout of earlier builds");
    assertEquals(dense, codec.decode(d));
    byte[] p = codec.encode(packed);
    assertEquals(d.length + 2, p.length);
    assertEquals(packed, codec.decode(p));
    assertEquals(
        ActivationEncoding.SPARSE,
        ((Hello)
                codec.decode(
                    codec.encode(
                        new Hello(
                            1,
                            MessageCodec.VERSION,
                            "plan",
                            Compression.FLOAT32,
                            "",
                            3,
                            100,
                            ActivationEncoding.SPARSE))))
            .activations());
    for (int[] bad : new int[][] {{2, 0}, {2, 9}, {1, 3}, {0, 1}, {3, 0}, {-1, 0}}) {
      byte[] f = p.clone();
      f[f.length - 2] = (byte) bad[0];
      f[f.length - 1] = (byte) bad[1];
      MalformedMessageException e =
          assertThrows(
              MalformedMessageException.class, () -> codec.decode(f), Arrays.toString(bad));
      assertTrue(e.getMessage().startsWith("Hello.activations"), e.getMessage());
    }
  }

  /** A Forward frame with one hand-made activation tensor of shape {@code n}. */
  private static byte[] frame(long n, byte[] payload) {
    ByteBuffer b =
        ByteBuffer.allocate(1 + 1 + 4 + 8 + 1 + 1 + 8 + payload.length + 4)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put(MessageCodec.VERSION)
        .put((byte) 1)
        .putInt(0)
        .putLong(0)
        .put((byte) 1)
        .put((byte) 1)
        .putLong(n);
    b.put(payload).putInt(0);
    return b.array();
  }

  private static byte[] bytes(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  private static byte[] sparsePayload(int nnz, byte[] gaps, int valueEncoding, int values) {
    ByteBuffer b =
        ByteBuffer.allocate(1 + 4 + gaps.length + 1 + 4 * values).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 3).putInt(nnz).put(gaps).put((byte) valueEncoding);
    for (int i = 0; i < values; i++) {
      b.putFloat(1 + i);
    }
    return b.array();
  }

  private static byte[] packedPayload(int bits, float lo, float hi, byte[] codes) {
    ByteBuffer b = ByteBuffer.allocate(1 + 1 + 8 + codes.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.put((byte) 4).put((byte) bits).putFloat(lo).putFloat(hi).put(codes).array();
  }

  private static void assertMalformed(byte[] frame, String expected) {
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> new MessageCodec().decode(frame));
    assertTrue(
        e.getMessage().contains(expected), "'" + e.getMessage() + "' lacks '" + expected + "'");
  }

  @Test
  void malformedSparseAndPackedPayloadsAreRefusedByName() throws Exception {
    // a well-formed one first: values at 0 and 5 of 8
    Forward ok = (Forward) new MessageCodec().decode(frame(8, sparsePayload(2, bytes(0, 4), 0, 2)));
    assertArrayEquals(new float[] {1, 0, 0, 0, 0, 2, 0, 0}, ok.activations().data(), 0f);
    assertMalformed(frame(8, sparsePayload(2, bytes(0, 7), 0, 2)), "out of range");
    assertMalformed(
        frame(8, sparsePayload(9, bytes(0, 0, 0, 0, 0, 0, 0, 0, 0), 0, 9)), "sparse count 9");
    assertMalformed(frame(8, sparsePayload(-1, bytes(), 0, 0)), "sparse count -1");
    assertMalformed(frame(8, sparsePayload(2, bytes(0, 0x81, 0), 0, 2)), "not a minimal varint");
    assertMalformed(
        frame(1 << 20, sparsePayload(1, bytes(0xff, 0xff, 0xff, 0xff, 0xff, 1), 0, 1)), "varint");
    assertMalformed(frame(8, sparsePayload(2, bytes(0, 4), 7, 2)), "unknown tensor encoding 7");
    assertMalformed(frame(8, sparsePayload(2, bytes(0, 4), 0, 0)), "2 sparse values");
    assertMalformed(frame(3_000_000_000L, sparsePayload(0, bytes(), 0, 0)), "exceeds the bound");
    assertEquals(
        8,
        ((Forward) new MessageCodec().decode(frame(8, packedPayload(2, 0, 3, bytes(0xe4, 0x1b)))))
            .activations()
            .size());
    assertArrayEquals(
        new float[] {0, 1, 2, 3, 3, 2, 1, 0},
        ((Forward) new MessageCodec().decode(frame(8, packedPayload(2, 0, 3, bytes(0xe4, 0x1b)))))
            .activations()
            .data(),
        0f);
    assertMalformed(frame(8, packedPayload(0, 0, 3, bytes())), "bits 0 out of range");
    assertMalformed(
        frame(8, packedPayload(9, 0, 3, bytes(0, 0, 0, 0, 0, 0, 0, 0, 0))), "bits 9 out of range");
    assertMalformed(frame(8, packedPayload(2, 3, 0, bytes(0, 0))), "range");
    assertMalformed(frame(8, packedPayload(2, 0, Float.NaN, bytes(0, 0))), "range");
    assertMalformed(frame(64, packedPayload(2, 0, 3, bytes(0))), "need 16 bytes");
    assertMalformed(frame(3, packedPayload(3, 0, 3, bytes(0, 0x80))), "padding bits");
    assertMalformed(frame(1L << 40, packedPayload(1, 0, 1, bytes())), "exceeds the bound");
  }

  @Test
  void aSmallBoundCapsWhatASparseTensorUnfoldsInto() {
    MessageCodec small = new MessageCodec(1 << 12);
    byte[] f =
        frame(
            2000, sparsePayload(0, bytes(), 0, 0)); // 8,000 bytes as float32, from a 40-byte frame
    assertThrows(MalformedMessageException.class, () -> small.decode(f));
  }

  private static Float[] box(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
