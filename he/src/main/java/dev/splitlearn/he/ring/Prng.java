package dev.splitlearn.he.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deterministic keystream generator: AES-256 in counter mode keyed by a 32-byte seed, with a
 * 64-bit domain separator in the initial counter block. The same (seed, domain) always yields the
 * same stream, which is how the public {@code a} part of a seeded ciphertext or key is re-expanded
 * from its seed.
 *
 * <p>{@link #fromSecureRandom()} seeds a stream from {@link SecureRandom}; secret keys, errors and
 * ephemeral values are drawn from such streams. Not thread-safe: use one instance per thread.
 */
public final class Prng {

  /** Seed length in bytes. */
  public static final int SEED_BYTES = 32;

  private static final int BUFFER = 8192;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final SecureRandom SECURE = new SecureRandom();

  private final Cipher cipher;
  private final byte[] zeros = new byte[BUFFER];
  private final byte[] buf = new byte[BUFFER];
  private int pos = BUFFER;

  /**
   * Creates the stream for a seed and a domain.
   *
   * @param seed 32 bytes
   * @param domain domain separator (e.g. the modulus index of the row being expanded)
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public Prng(byte[] seed, long domain) {
    if (seed == null || seed.length != SEED_BYTES) {
      throw new IllegalArgumentException(
          "cannot create Prng: seed must be "
              + SEED_BYTES
              + " bytes, got "
              + (seed == null ? "null" : seed.length));
    }
    byte[] iv = new byte[16];
    for (int i = 0; i < 8; i++) {
      iv[i] = (byte) (domain >>> (8 * i));
    }
    try {
      cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(iv));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR is not available", e);
    }
  }

  /**
   * @return a stream seeded with 32 fresh bytes from {@link SecureRandom}
   */
  public static Prng fromSecureRandom() {
    return new Prng(newSeed(), 0);
  }

  /**
   * @return 32 fresh bytes from {@link SecureRandom}
   */
  public static byte[] newSeed() {
    byte[] seed = new byte[SEED_BYTES];
    synchronized (SECURE) {
      SECURE.nextBytes(seed);
    }
    return seed;
  }

  private void refill() {
    try {
      cipher.update(zeros, 0, BUFFER, buf, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    pos = 0;
  }

  /**
   * @return the next 64 uniformly random bits
   */
  public long nextLong() {
    if (pos > BUFFER - 8) {
      refill();
    }
    long v = (long) LONGS.get(buf, pos);
    pos += 8;
    return v;
  }

  /**
   * @return the next 8 uniformly random bits as an int in [0, 256)
   */
  public int nextByte() {
    if (pos >= BUFFER) {
      refill();
    }
    return buf[pos++] & 0xff;
  }

  /**
   * Fills an array with random bytes.
   *
   * @param out the destination
   */
  public void nextBytes(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) nextByte();
    }
  }

  /**
   * @return a uniform double in [0, 1)
   */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
