/**
 * JMH benchmarks of the {@code he} module (NTT, encode/decode, encryption, decryption, plaintext
 * and ciphertext products, rescale, rotation) at N = 8192 and N = 16384. Run with {@code
 * bench/he-jmh.sh}.
 */
package dev.splitlearn.bench.he;
