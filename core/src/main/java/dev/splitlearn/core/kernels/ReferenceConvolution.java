package dev.splitlearn.core.kernels;

import dev.splitlearn.models.ConvLayer;

/**
 * Convolution in plain Java with double accumulation: the reference the engine's kernels are
 * checked against. Each element of y, dx and dw is computed on its own (so a check may sample
 * elements of a large layer), straight from the definition. A 1D layer is the 2D one with height 1.
 * Layouts as in {@link ConvolutionKernel}.
 */
public final class ReferenceConvolution {
  /** The reference as a kernel: computes every element of y, dx and dw. */
  public static final ConvolutionKernel KERNEL =
      (layer, batch, x, w, b, dy) -> new ReferenceConvolution(layer, batch, x, w, b, dy).all();

  private final int batch;
  private final int inC;
  private final int outC;
  private final int inH;
  private final int inW;
  private final int kH;
  private final int kW;
  private final int sH;
  private final int sW;
  private final int pH;
  private final int pW;
  private final int outH;
  private final int outW;
  private final float[] x;
  private final float[] w;
  private final float[] b;
  private final float[] dy;

  private ReferenceConvolution(
      ConvLayer layer, int batch, float[] x, float[] w, float[] b, float[] dy) {
    this.batch = batch;
    this.x = x;
    this.w = w;
    this.b = b;
    this.dy = dy;
    boolean twoD = layer.dims() == 2;
    inC = layer.inChannels();
    outC = layer.outChannels();
    inH = twoD ? layer.inputSize()[0] : 1;
    inW = layer.inputSize()[layer.dims() - 1];
    kH = twoD ? layer.kernel()[0] : 1;
    kW = layer.kernel()[layer.dims() - 1];
    sH = twoD ? layer.stride()[0] : 1;
    sW = layer.stride()[layer.dims() - 1];
    pH = twoD ? layer.padding()[0] : 0;
    pW = layer.padding()[layer.dims() - 1];
    outH = twoD ? layer.outputSize(0) : 1;
    outW = layer.outputSize(layer.dims() - 1);
  }

  /** A reference bound to one set of inputs, for element-wise checks. */
  static ReferenceConvolution of(ConvData d) {
    return new ReferenceConvolution(d.layer(), d.batch(), d.x(), d.w(), d.b(), d.dy());
  }

  private ConvOutputs all() {
    float[] y = new float[outputSize()];
    float[] dx = new float[inputSize()];
    float[] dw = new float[weightSize()];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) y(i);
    }
    for (int i = 0; i < dx.length; i++) {
      dx[i] = (float) dx(i);
    }
    for (int i = 0; i < dw.length; i++) {
      dw[i] = (float) dw(i);
    }
    return new ConvOutputs(y, dx, dw);
  }

  int outputSize() {
    return batch * outC * outH * outW;
  }

  int inputSize() {
    return batch * inC * inH * inW;
  }

  int weightSize() {
    return outC * inC * kH * kW;
  }

  /** Output element {@code index} of (batch, out, outH, outW). */
  double y(int index) {
    int ow = index % outW;
    int oh = index / outW % outH;
    int o = index / (outW * outH) % outC;
    int n = index / (outW * outH * outC);
    double sum = b[o];
    for (int c = 0; c < inC; c++) {
      for (int kh = 0; kh < kH; kh++) {
        int ih = oh * sH - pH + kh;
        if (ih < 0 || ih >= inH) {
          continue;
        }
        for (int kw = 0; kw < kW; kw++) {
          int iw = ow * sW - pW + kw;
          if (iw >= 0 && iw < inW) {
            sum +=
                (double) w[((o * inC + c) * kH + kh) * kW + kw]
                    * x[((n * inC + c) * inH + ih) * inW + iw];
          }
        }
      }
    }
    return sum;
  }

  /** Input-gradient element {@code index} of (batch, in, inH, inW): sum over the outputs it fed. */
  double dx(int index) {
    int iw = index % inW;
    int ih = index / inW % inH;
    int c = index / (inW * inH) % inC;
    int n = index / (inW * inH * inC);
    int[] ohOfTap =
        outputOf(ih, pH, kH, sH, outH); // divisions once per element, not per multiply-add
    int[] owOfTap = outputOf(iw, pW, kW, sW, outW);
    double sum = 0;
    for (int o = 0; o < outC; o++) {
      for (int kh = 0; kh < kH; kh++) {
        if (ohOfTap[kh] < 0) {
          continue;
        }
        int dyRow = ((n * outC + o) * outH + ohOfTap[kh]) * outW;
        int wRow = ((o * inC + c) * kH + kh) * kW;
        for (int kw = 0; kw < kW; kw++) {
          if (owOfTap[kw] >= 0) {
            sum += (double) dy[dyRow + owOfTap[kw]] * w[wRow + kw];
          }
        }
      }
    }
    return sum;
  }

  /** For each tap k, the output position that read input position {@code i} through it, or -1. */
  private static int[] outputOf(int i, int pad, int taps, int stride, int outSize) {
    int[] out = new int[taps];
    for (int k = 0; k < taps; k++) {
      int t = i + pad - k;
      out[k] = t >= 0 && t % stride == 0 && t / stride < outSize ? t / stride : -1;
    }
    return out;
  }

  /** Weight-gradient element {@code index} of (out, in, kH, kW): sum over batch and positions. */
  double dw(int index) {
    int kw = index % kW;
    int kh = index / kW % kH;
    int c = index / (kW * kH) % inC;
    int o = index / (kW * kH * inC);
    double sum = 0;
    for (int n = 0; n < batch; n++) {
      for (int oh = 0; oh < outH; oh++) {
        int ih = oh * sH - pH + kh;
        if (ih < 0 || ih >= inH) {
          continue;
        }
        for (int ow = 0; ow < outW; ow++) {
          int iw = ow * sW - pW + kw;
          if (iw >= 0 && iw < inW) {
            sum +=
                (double) dy[((n * outC + o) * outH + oh) * outW + ow]
                    * x[((n * inC + c) * inH + ih) * inW + iw];
          }
        }
      }
    }
    return sum;
  }

  /** Multiply-adds to compute one element of y, dx or dw: the cost of checking it. */
  long costPerElement(char which) {
    return switch (which) {
      case 'y' -> (long) inC * kH * kW;
      case 'x' -> (long) outC * kH * kW;
      default -> (long) batch * outH * outW;
    };
  }
}
