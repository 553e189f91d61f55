/**
 * The CKKS scheme over {@link dev.splitlearn.he.rlwe}: {@link dev.splitlearn.he.ckks.Encoder}
 * (canonical embedding, N/2 real or complex slots), {@link dev.splitlearn.he.ckks.Evaluator} (add,
 * sub, products with plaintexts, constants and ciphertexts, relinearisation, rescale, rotations,
 * rotate-and-sum) and named {@link dev.splitlearn.he.ckks.ParameterSets}.
 *
 * <p>Ciphertexts and plaintexts are {@link dev.splitlearn.he.rlwe.Ciphertext} and {@link
 * dev.splitlearn.he.rlwe.Plaintext}, always in NTT form, carrying their level and scale.
 *
 * <p>Unaudited research code, not constant-time.
 */
package dev.splitlearn.he.ckks;
