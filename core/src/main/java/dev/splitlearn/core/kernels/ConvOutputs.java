package dev.splitlearn.core.kernels;

/**
 * What a convolution kernel computed: the output y, the input gradient dx (backward-data) and the
 * weight gradient dw (backward-weights) for the upstream gradient dy, row-major as in {@link
 * ConvData}.
 */
public record ConvOutputs(float[] y, float[] dx, float[] dw) {}
