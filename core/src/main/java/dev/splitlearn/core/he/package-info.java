/**
 * Encrypted split learning: the client encrypts its activations with CKKS ({@code splitlearn-he}),
 * the server evaluates its linear layer on the ciphertexts, and the client decrypts the outputs and
 * keeps softmax, labels and loss. See {@code docs/he-threat-model.md} for what each party sees.
 */
package dev.splitlearn.core.he;
