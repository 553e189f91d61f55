/**
 * Ring-LWE: parameters, keys, encryption, decryption and key switching, independent of the
 * encoding.
 *
 * <ul>
 *   <li>{@link dev.splitlearn.he.rlwe.ParametersLiteral} &rarr; {@link
 *       dev.splitlearn.he.rlwe.Parameters} through one validating factory that refuses sets above
 *       the HE-standard 128-bit bound.
 *   <li>{@link dev.splitlearn.he.rlwe.KeyGenerator}: {@link dev.splitlearn.he.rlwe.SecretKey},
 *       {@link dev.splitlearn.he.rlwe.PublicKey}, {@link
 *       dev.splitlearn.he.rlwe.RelinearizationKey}, {@link dev.splitlearn.he.rlwe.GaloisKey},
 *       gathered in an {@link dev.splitlearn.he.rlwe.EvaluationKeySet}.
 *   <li>{@link dev.splitlearn.he.rlwe.Encryptor} (public or secret key; the latter seeded), {@link
 *       dev.splitlearn.he.rlwe.Decryptor}, {@link dev.splitlearn.he.rlwe.KeySwitcher} (hybrid, one
 *       gadget digit per Q prime, special primes P).
 *   <li>{@link dev.splitlearn.he.rlwe.Plaintext} and {@link dev.splitlearn.he.rlwe.Ciphertext}
 *       carry their level and CKKS scale, as lattigo v5's rlwe metadata does; the CKKS encoder and
 *       evaluator use them.
 * </ul>
 *
 * <p>Wire objects ({@code Ciphertext}, {@code PublicKey}, {@code RelinearizationKey}, {@code
 * GaloisKey}, {@code ParametersLiteral}) have {@code binarySize()}, {@code writeTo}, {@code
 * readFrom}, a leading version byte, bit-packed coefficients and a CRC32C trailer; reading
 * validates every field and throws {@link dev.splitlearn.he.rlwe.WireFormatException} or {@link
 * java.io.EOFException}. The checksum detects corruption, not deliberate tampering: authenticate
 * the transport.
 *
 * <p>Unaudited research code, not constant-time.
 */
package dev.splitlearn.he.rlwe;
