/**
 * Polynomial rings for RLWE: {@code Z_Q[X]/(X^N + 1)} in residue-number-system (RNS) form.
 *
 * <ul>
 *   <li>{@link dev.splitlearn.he.ring.Modulus}: Barrett and Shoup modular arithmetic for one prime
 *       below 2^60.
 *   <li>{@link dev.splitlearn.he.ring.Primes}: NTT-friendly prime generation ({@code q = 1 mod
 *       2N}).
 *   <li>{@link dev.splitlearn.he.ring.SubRing}: the negacyclic NTT for one prime (Harvey lazy
 *       butterflies).
 *   <li>{@link dev.splitlearn.he.ring.Ring} and {@link dev.splitlearn.he.ring.Poly}: RNS
 *       polynomials ({@code long[][]}, one row per modulus) and their coefficient-wise operations,
 *       rescaling (divide-and-round by the last modulus).
 *   <li>{@link dev.splitlearn.he.ring.Automorphism}: {@code X -> X^k} in NTT form by index
 *       permutation.
 *   <li>{@link dev.splitlearn.he.ring.Prng} and {@link dev.splitlearn.he.ring.Samplers}: AES-CTR
 *       keystream, uniform, ternary and discrete Gaussian samplers.
 *   <li>{@link dev.splitlearn.he.ring.CrtReconstructor} and {@link
 *       dev.splitlearn.he.ring.BitPacker}: CRT reconstruction to doubles and bit packing for the
 *       wire formats.
 * </ul>
 *
 * <p>Unaudited research code, not constant-time: timing depends on secret values (samplers,
 * reductions).
 */
package dev.splitlearn.he.ring;
