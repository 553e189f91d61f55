/**
 * Encrypted activations at the cut, as seen by the protocol: the client encrypts its activations
 * ({@link dev.splitlearn.core.encrypted.ActivationCipher}), the server evaluates its linear layer
 * on the ciphertexts ({@link dev.splitlearn.core.encrypted.EncryptedLinear}), and the client
 * decrypts the outputs and keeps softmax, labels and loss. Schemes plug in through {@link
 * dev.splitlearn.core.encrypted.Encryption}; CKKS lives in the {@code split-he} module. See {@code
 * docs/he-threat-model.md} for what each party sees.
 */
package dev.splitlearn.core.encrypted;
