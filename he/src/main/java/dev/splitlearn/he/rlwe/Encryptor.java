package dev.splitlearn.he.rlwe;

import dev.splitlearn.he.ring.Modulus;
import dev.splitlearn.he.ring.Poly;
import dev.splitlearn.he.ring.Prng;
import dev.splitlearn.he.ring.Ring;
import dev.splitlearn.he.ring.Samplers;

/**
 * Encrypts plaintexts under a public key or a secret key.
 *
 * <ul>
 *   <li>Public key: {@code (u b + e_0, u a + e_1)} computed over Q and P with a ternary {@code u},
 *       then divided by P (as SEAL does), which leaves a fresh noise of a few units, plus the
 *       plaintext.
 *   <li>Secret key: {@code (-a s + e + m, a)} with {@code a} expanded from a fresh 32-byte seed;
 *       the ciphertext is seeded and serializes {@code a} as the seed only (about half the size).
 * </ul>
 *
 * <p>Not thread-safe (random stream and scratch buffers); use {@link #copy()} per thread.
 */
public final class Encryptor {

  private final Parameters params;
  private final Ring ring;
  private final PublicKey pk;
  private final SecretKey sk;
  private final Prng prng = Prng.fromSecureRandom();
  private final long[] small;
  private final long[] tmp;
  private final Poly u;
  private final Poly c0;
  private final Poly c1;

  /**
   * Public-key encryptor.
   *
   * @param params the parameters
   * @param pk the public key
   */
  public Encryptor(Parameters params, PublicKey pk) {
    this(params, pk, null);
  }

  /**
   * Secret-key encryptor (seeded, compact ciphertexts).
   *
   * @param params the parameters
   * @param sk the secret key
   */
  public Encryptor(Parameters params, SecretKey sk) {
    this(params, null, sk);
  }

  private Encryptor(Parameters params, PublicKey pk, SecretKey sk) {
    if ((pk != null && pk.params().id() != params.id())
        || (sk != null && sk.params().id() != params.id())) {
      throw new IllegalArgumentException(
          "cannot create Encryptor: key was made for other parameters");
    }
    this.params = params;
    this.ring = params.ring();
    this.pk = pk;
    this.sk = sk;
    this.small = new long[ring.n()];
    this.tmp = new long[ring.n()];
    this.u = ring.newPoly();
    this.c0 = ring.newPoly();
    this.c1 = ring.newPoly();
  }

  /**
   * @return an encryptor with the same key and its own random stream and buffers
   */
  public Encryptor copy() {
    return new Encryptor(params, pk, sk);
  }

  /**
   * Encrypts at the plaintext's level and scale.
   *
   * @param pt plaintext (NTT form)
   * @return a new degree-1 ciphertext
   */
  public Ciphertext encryptNew(Plaintext pt) {
    Ciphertext ct = new Ciphertext(params, 1, pt.level());
    encrypt(pt, ct);
    return ct;
  }

  /**
   * Encrypts {@code pt} into {@code out} (resized to degree 1 and the plaintext's level; scale
   * copied).
   *
   * @param pt plaintext (NTT form)
   * @param out output ciphertext
   * @throws IllegalArgumentException if the plaintext belongs to other parameters
   */
  public void encrypt(Plaintext pt, Ciphertext out) {
    if (pt.params().id() != params.id()) {
      throw new IllegalArgumentException("cannot encrypt: plaintext was made for other parameters");
    }
    int level = pt.level();
    out.resize(1, level);
    if (sk != null) {
      encryptSk(level, out);
    } else {
      encryptPk(level, out);
    }
    ring.add(level, out.value(0), pt.value(), out.value(0));
    out.setScale(pt.scale());
  }

  private void encryptSk(int level, Ciphertext out) {
    byte[] seed = Prng.newSeed();
    int[] rows = Wire.range(0, level);
    Poly a = out.value(1);
    Uniform.expand(ring, seed, 0, rows, a);
    Poly b = out.value(0);
    Samplers.gaussian(prng, params.sigma(), params.errorBound(), small);
    ring.setSigned(level, small, b);
    ring.ntt(level, b);
    ring.mulCoeffs(level, a, sk.value(), c0);
    ring.sub(level, b, c0, b);
    out.setSeed(seed);
  }

  private void encryptPk(int level, Ciphertext out) {
    int qCount = params.qCount();
    int pCount = params.pCount();
    int[] rows = Wire.concat(Wire.range(0, level), params.pRows());
    Samplers.ternary(prng, small);
    for (int r : rows) {
      ring.setSignedRow(r, small, u.coeffs()[r]);
      ring.subRing(r).forward(u.coeffs()[r]);
      Modulus m = ring.modulus(r);
      long[] ur = u.coeffs()[r];
      long[] b = pk.b().coeffs()[r];
      long[] bs = pk.bShoup()[r];
      long[] a = pk.a().coeffs()[r];
      long[] as = pk.aShoup()[r];
      long[] x0 = c0.coeffs()[r];
      long[] x1 = c1.coeffs()[r];
      for (int k = 0; k < ur.length; k++) {
        x0[k] = m.mulShoup(ur[k], b[k], bs[k]);
        x1[k] = m.mulShoup(ur[k], a[k], as[k]);
      }
      ring.subRing(r).inverse(x0);
      ring.subRing(r).inverse(x1);
    }
    addError(rows, c0);
    addError(rows, c1);
    int[] qRows = Wire.range(0, level);
    for (int pi = pCount - 1; pi >= 0; pi--) {
      int[] targets = Wire.concat(qRows, Wire.range(qCount, qCount + pi - 1));
      ring.divRoundByLast(c0, qCount + pi, targets, tmp);
      ring.divRoundByLast(c1, qCount + pi, targets, tmp);
    }
    for (int r = 0; r <= level; r++) {
      System.arraycopy(c0.coeffs()[r], 0, out.value(0).coeffs()[r], 0, ring.n());
      System.arraycopy(c1.coeffs()[r], 0, out.value(1).coeffs()[r], 0, ring.n());
    }
    ring.ntt(level, out.value(0));
    ring.ntt(level, out.value(1));
  }

  private void addError(int[] rows, Poly p) {
    Samplers.gaussian(prng, params.sigma(), params.errorBound(), small);
    for (int r : rows) {
      long q = ring.modulus(r).value();
      long[] x = p.coeffs()[r];
      for (int k = 0; k < x.length; k++) {
        long v = x[k] + small[k];
        v += (v >> 63) & q;
        v -= q;
        x[k] = v + ((v >> 63) & q);
      }
    }
  }
}
