package dev.splitlearn.core.party;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.splitlearn.core.protocol.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.IntConsumer;

/**
 * Conversions between DJL arrays and wire tensors, one bulk copy each way: out of the engine's
 * memory into little-endian bytes, and from a tensor straight into a new array's memory.
 */
public final class Tensors {
  private Tensors() {}

  /** Copies {@code array} (float32) into a wire tensor. */
  public static FloatTensor toTensor(NDArray array) {
    if (array.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "wire tensors are float32, the array is " + array.getDataType());
    }
    long[] shape = array.getShape().getShape();
    // a view of the engine's memory when the array is contiguous (DJL copies otherwise); it dies
    // with the array, so the values are copied out at once
    FloatBuffer memory = array.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    ByteBuffer bytes =
        ByteBuffer.allocate(Float.BYTES * memory.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(memory);
    return FloatTensor.ofLittleEndian(shape, bytes);
  }

  /**
   * A wire tensor over {@code array}'s memory, without a copy. It is valid only while the array is
   * open, and a frame sent in process carries it by reference ({@code Frame}): use it for a tensor
   * whose array stays open as long as the frame must (a client's activations, open until its step
   * is over; a server's reply, whose memory the session keeps until the next reply), never for one
   * that may be kept.
   */
  public static FloatTensor view(NDArray array) {
    if (array.getDataType() != DataType.FLOAT32
        || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return toTensor(array);
    }
    ByteBuffer memory = array.toByteBuffer(true);
    return memory.isDirect()
        ? FloatTensor.ofLittleEndian(array.getShape().getShape(), memory)
        : toTensor(array);
  }

  /**
   * An array in {@code manager} holding {@code tensor}: made over the frame the tensor was decoded
   * from when that is aligned direct memory (an in-process frame, which outlives the step that
   * reads it, see {@code FrameBuffers}, or the sender's own memory that a frame deferred, see
   * {@code Frame}), else a copy. Such an array is only read.
   */
  public static NDArray toArray(NDManager manager, FloatTensor tensor) {
    return copyIn(manager, tensor, null);
  }

  /**
   * As {@link #toArray}, checking the values on the way (one pass over them): if one is NaN or
   * infinite, no array is left open and {@code nonFinite}, which must throw, gets its index.
   */
  public static NDArray toFiniteArray(
      NDManager manager, FloatTensor tensor, IntConsumer nonFinite) {
    return copyIn(manager, tensor, nonFinite);
  }

  private static NDArray copyIn(NDManager manager, FloatTensor tensor, IntConsumer nonFinite) {
    Shape shape = new Shape(tensor.shape());
    ByteBuffer frame =
        ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? tensor.frameBytes() : null;
    int bad;
    if (frame != null) {
      bad = nonFinite == null ? -1 : tensor.firstNonFinite();
      if (bad < 0) {
        return manager.create(frame, shape, DataType.FLOAT32); // uses the frame's memory
      }
    } else {
      NDArray array = manager.create(shape, DataType.FLOAT32);
      ByteBuffer memory = tensor.size() == 0 ? null : array.toByteBuffer(true);
      if (memory == null || !memory.isDirect()) { // no view of the engine's memory
        array.close();
        bad = nonFinite == null ? -1 : tensor.firstNonFinite();
        if (bad < 0) {
          return manager.create(tensor.data(), shape);
        }
      } else {
        memory.order(ByteOrder.nativeOrder());
        if (nonFinite == null) {
          memory.asFloatBuffer().put(tensor.floats());
          return array;
        }
        bad = tensor.copyTo(memory);
        if (bad < 0) {
          return array;
        }
        array.close();
      }
    }
    nonFinite.accept(bad);
    throw new IllegalStateException("value " + bad + " is not finite and was not rejected");
  }

  /**
   * Backpropagates {@code gradient}, the loss gradient of {@code output}, through the graph that
   * produced {@code output}: libtorch's backward seeded with it, rather than the backward of {@code
   * sum(output * gradient)}, which costs a product, a sum and their backward passes. Call it inside
   * a gradient collector.
   */
  public static void backward(NDArray output, NDArray gradient) {
    JniUtils.backward((PtNDArray) output, (PtNDArray) gradient, false, false);
  }

  /**
   * A float32 scalar owned by libtorch, in {@code manager}, for arithmetic inside a gradient graph.
   * Never pass a Java number to an op whose backward pass reads it ({@code mul(2f)}, {@code div},
   * {@code maximum(c)}): DJL wraps the number in a temporary direct buffer that it frees right
   * after the op, libtorch's graph keeps a pointer into that buffer, and the backward pass reads
   * whatever the memory holds by then (NoPeek's gradient came out Inf, 1e-9 or 1e-16 times its
   * value every 26th step on MNIST). {@code full} allocates inside libtorch, so the graph's
   * reference keeps it alive.
   */
  public static NDArray scalar(NDManager manager, float value) {
    return manager.full(new Shape(), value, DataType.FLOAT32);
  }
}
