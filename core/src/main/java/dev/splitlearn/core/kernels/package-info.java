/**
 * Trust in the CPU kernels: a self-test that runs the convolutions a model uses on the engine and
 * compares them with plain-Java double loops ({@link
 * dev.splitlearn.core.kernels.ReferenceConvolution}), the oneDNN switch of libtorch ({@link
 * dev.splitlearn.core.kernels.OneDnn}), and the guard that runs the self-test before training and
 * switches oneDNN off when its kernels compute wrong results on this machine ({@link
 * dev.splitlearn.core.kernels.KernelGuard}).
 */
package dev.splitlearn.core.kernels;
