/**
 * RNS-CKKS homomorphic encryption in pure Java, layered like lattigo: {@link
 * dev.splitlearn.he.ring} (NTT, RNS polynomials, samplers) &rarr; {@link dev.splitlearn.he.rlwe}
 * (parameters, keys, encryption, key switching) &rarr; {@link dev.splitlearn.he.ckks} (encoder,
 * evaluator, parameter sets) &rarr; {@link dev.splitlearn.he.linalg} (the batched linear layer of
 * the split-learning protocol).
 *
 * <p>On a JVM given {@code --add-modules jdk.incubator.vector} and a CPU with AVX-512, the hot row
 * kernels (the NTT's wide stages, key switching's gadget product, Barrett row products) run on the
 * JDK's vector API ({@code ring.VectorRows}), with the same results bit for bit as the scalar code
 * that runs everywhere else.
 *
 * <p><b>Warning: this implementation is unaudited, for research use only, and not
 * constant-time.</b> Its timing and memory access depend on secret data (sampling, modular
 * reductions), it has no protection against side channels, and the wire-format checksums detect
 * corruption, not malicious tampering.
 */
package dev.splitlearn.he;
