/**
 * The encrypted split protocol with CKKS: {@link dev.splitlearn.splithe.CkksEncryption} plugs the
 * {@code he} module's batched linear layer into core's encrypted cut ({@link
 * dev.splitlearn.core.encrypted.Encryption}). The client encrypts its activations under a key it
 * alone holds; the server, which holds no key, evaluates its linear layer on the ciphertexts.
 * Protocol and threat model: {@code docs/he-threat-model.md}.
 */
package dev.splitlearn.splithe;
