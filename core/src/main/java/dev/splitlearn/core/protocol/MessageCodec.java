package dev.splitlearn.core.protocol;

import dev.splitlearn.core.protocol.Message.Ack;
import dev.splitlearn.core.protocol.Message.Barrier;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.EncryptedOutput;
import dev.splitlearn.core.protocol.Message.ErrorReply;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.NamedTensor;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.Message.Welcome;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary wire format of {@link Message}s, little-endian: {@code version:u8, type:u8, clientId:i32},
 * then the type's fields. A tensor is {@code rank:u8, dims:i64[rank], encoding:u8, payload}:
 * float32 values, float16 values, an int8 per value after one float32 scale ({@link Compression}),
 * or the sparse and bit-packed layouts of activations ({@link ActivationEncoding}; formats in
 * {@code TensorCodec}). The tensors that cross the cut are encoded with the codec's compression,
 * the activations of a {@link Forward} with its activation layout, everything else as float32; a
 * tensor holding NaN or infinity always goes as float32, so the receiver sees what was sent.
 * Decoding checks every length against the bytes present and a size limit before allocating, and
 * refuses unknown versions and types.
 *
 * <p>A {@link Hello} announces the activation layout in two bytes after its last field, present
 * only when the layout is not dense: a dense Hello is byte for byte what earlier builds sent and
 * read, and an earlier server refuses a sparse or packed one (trailing bytes) instead of misreading
 * it.
 */
public final class MessageCodec {
  /** Current wire version (2: tensor encodings, handshake, errors, barriers). */
  public static final byte VERSION = 2;

  /** The most bytes of a frame's beginning {@link #cutValuesOffset(ByteBuffer)} reads. */
  public static final int HEAD_BYTES = 1 + 1 + 4 + 8 + 4 + 1;

  /** Default bound on one encoded message: 256 MiB. */
  public static final int DEFAULT_MAX_BYTES = 256 << 20;

  private static final byte FORWARD = 1;
  private static final byte SERVER_OUTPUT = 2;
  private static final byte GRADIENT = 3;
  private static final byte WEIGHTS = 4;
  private static final byte FETCH_WEIGHTS = 5;
  private static final byte ACK = 6;
  private static final byte HE_SETUP = 7;
  private static final byte ENCRYPTED_FORWARD = 8;
  private static final byte ENCRYPTED_OUTPUT = 9;
  private static final byte LAYER_GRADIENT = 10;
  private static final byte HELLO = 11;
  private static final byte WELCOME = 12;
  private static final byte BARRIER = 13;
  private static final byte ERROR = 14;
  private static final int MAX_NAME_BYTES = 1024;
  private static final int MAX_TEXT_BYTES = 4096;

  private final int maxBytes;
  private final Compression compression;
  private final ActivationEncoding activations;

  /** A codec with the {@linkplain #DEFAULT_MAX_BYTES default} size bound, float32 tensors. */
  public MessageCodec() {
    this(DEFAULT_MAX_BYTES, Compression.FLOAT32);
  }

  /**
   * A codec that refuses to encode or decode messages larger than {@code maxBytes}; float32
   * tensors.
   */
  public MessageCodec(int maxBytes) {
    this(maxBytes, Compression.FLOAT32);
  }

  /**
   * A codec with a size bound that encodes the tensors crossing the cut with {@code compression}
   * (decoding reads whatever encoding each tensor names).
   */
  public MessageCodec(int maxBytes, Compression compression) {
    this(maxBytes, compression, ActivationEncoding.DENSE);
  }

  /**
   * A codec with a size bound that encodes cut tensors with {@code compression} and a Forward's
   * activations with {@code activations} (decoding reads whatever encoding each tensor names).
   */
  public MessageCodec(int maxBytes, Compression compression, ActivationEncoding activations) {
    if (maxBytes < 16) {
      throw new IllegalArgumentException("message size bound too small: " + maxBytes);
    }
    if (compression == null || activations == null) {
      throw new IllegalArgumentException("a codec needs a compression and an activation encoding");
    }
    this.maxBytes = maxBytes;
    this.compression = compression;
    this.activations = activations;
  }

  /** The compression of cut tensors this codec writes. */
  public Compression compression() {
    return compression;
  }

  /** A codec with the same bound that writes cut tensors with {@code c}. */
  public MessageCodec withCompression(Compression c) {
    return c == compression ? this : new MessageCodec(maxBytes, c, activations);
  }

  /** The layout of a Forward's activations this codec writes. */
  public ActivationEncoding activations() {
    return activations;
  }

  /**
   * A codec with the same bound and compression that writes a Forward's activations with {@code a}.
   */
  public MessageCodec withActivations(ActivationEncoding a) {
    return a.equals(activations) ? this : new MessageCodec(maxBytes, compression, a);
  }

  /** Encoded size of {@code m} in bytes with float32 tensors. */
  public static long binarySize(Message m) {
    return new MessageCodec().size(m);
  }

  /** Encoded size of {@code m} in bytes with this codec's compression. */
  public long size(Message m) {
    long header = 1 + 1 + 4;
    if (m instanceof Forward f) {
      return header
          + 8
          + 1
          + TensorCodec.choose(f.activations(), compression, activations).bytes()
          + 4
          + 4L * f.labels().length;
    } else if (m instanceof ServerOutput s) {
      return header + 8 + cut(s.output()).bytes();
    } else if (m instanceof Gradient g) {
      return header + 8 + 4 + cut(g.gradient()).bytes();
    } else if (m instanceof Weights w) {
      return header + 8 + 8 + namedSize(w.tensors());
    } else if (m instanceof HeSetup h) {
      return header + 4 + h.parameters().length;
    } else if (m instanceof EncryptedForward f) {
      return header + 8 + 1 + 4 + bytesSize(f.ciphertexts());
    } else if (m instanceof EncryptedOutput o) {
      return header + 8 + bytesSize(o.ciphertexts()) + namedSize(o.layer());
    } else if (m instanceof LayerGradient g) {
      return header
          + 8
          + namedSize(g.gradients())
          + 1
          + (g.outputGradient() == null ? 0 : cut(g.outputGradient()).bytes());
    } else if (m instanceof FetchWeights) {
      return header + 8;
    } else if (m instanceof Hello h) {
      return header
          + 4
          + stringSize(h.planFingerprint())
          + 1
          + stringSize(h.heParameters())
          + 4
          + 8
          + (h.activations().dense() ? 0 : 2);
    } else if (m instanceof Welcome w) {
      return header + 8 + 4 + stringSize(w.schedule()) + 4 + 4 + 4 + 4 + 4;
    } else if (m instanceof Barrier) {
      return header + 4;
    } else if (m instanceof ErrorReply e) {
      return header + 1 + stringSize(e.text());
    }
    return header; // Ack
  }

  /** The encoding of a cut tensor: the codec's compression, float32 if a value is not finite. */
  private TensorCodec.Choice cut(FloatTensor t) {
    return TensorCodec.choose(t, compression, ActivationEncoding.DENSE);
  }

  private static long stringSize(String s) {
    return 2 + s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static long namedSize(List<NamedTensor> tensors) {
    return 4
        + tensors.stream()
            .mapToLong(
                t ->
                    2
                        + utf8(t.name()).length
                        + TensorCodec.denseSize(t.tensor(), Compression.FLOAT32))
            .sum();
  }

  private static long bytesSize(List<byte[]> blobs) {
    return 4 + blobs.stream().mapToLong(b -> 4L + b.length).sum();
  }

  /**
   * Encodes {@code m} into a new array (for files and tests; links use {@link #encode(Message,
   * FrameBuffers)}).
   *
   * @throws IllegalArgumentException if the encoding would exceed the size bound
   */
  public byte[] encode(Message m) {
    ByteBuffer buf = ByteBuffer.allocate(boundedSize(m)).order(ByteOrder.LITTLE_ENDIAN);
    write(m, buf, false);
    return buf.array();
  }

  /**
   * Encodes {@code m} into the next frame of {@code frames}: the frame to send, valid until the
   * second frame after it is taken. A dense float32 cut tensor in direct memory (a view of the
   * engine's) is not copied in: the frame defers it (see {@link Frame}), so it must stay valid as
   * long as the frame must.
   *
   * @throws IllegalArgumentException if the encoding would exceed the size bound
   */
  public Frame encode(Message m, FrameBuffers frames) {
    ByteBuffer buf = frames.take(boundedSize(m), cutValuesOffset(m));
    Deferral d = write(m, buf, true);
    return d == null ? Frame.of(buf.flip()) : Frame.deferring(buf.flip(), d.values(), d.at());
  }

  /** Values left out of a frame, and where in it they belong. */
  private record Deferral(FloatTensor values, int at) {}

  /** The deferral of a tensor {@link TensorCodec#put} just skipped over in {@code buf}, or null. */
  private static Deferral skipped(ByteBuffer buf, FloatTensor deferred) {
    return deferred == null
        ? null
        : new Deferral(deferred, buf.position() - Float.BYTES * deferred.size());
  }

  /**
   * Where the values of a received frame's cut tensor start, read off the frame's first bytes (at
   * most {@link #HEAD_BYTES} of them, from {@code head}'s position), so that a transport can place
   * the frame where those values sit on an aligned address for the engine (see {@link
   * FrameBuffers}); 0 if the frame has no cut tensor or its head is too short or malformed (the
   * decoder says what is wrong with it). Agrees with where {@link #encode(Message, FrameBuffers)}
   * puts them.
   */
  public static int cutValuesOffset(ByteBuffer head) {
    int at = head.position();
    if (head.remaining() < 2) {
      return 0;
    }
    int rankAt = cutTensorAt(head.get(at + 1));
    if (rankAt < 0 || head.remaining() <= rankAt) {
      return 0;
    }
    int rank = head.get(at + rankAt);
    return rank < 1 || rank > FloatTensor.MAX_RANK ? 0 : rankAt + 1 + 8 * rank + 1;
  }

  /**
   * Where the values of the message's cut tensor start in its frame (after the headers), so that
   * they can be placed on an aligned address for the receiver's engine; 0 if it has none.
   */
  private static int cutValuesOffset(Message m) {
    if (m instanceof Forward f) {
      return cutTensorAt(FORWARD) + TensorCodec.headerSize(f.activations());
    } else if (m instanceof ServerOutput o) {
      return cutTensorAt(SERVER_OUTPUT) + TensorCodec.headerSize(o.output());
    } else if (m instanceof Gradient g) {
      return cutTensorAt(GRADIENT) + TensorCodec.headerSize(g.gradient());
    }
    return 0;
  }

  /**
   * Where the cut tensor (its rank byte) starts in a frame of message type {@code type}: after the
   * version, type and client id, the step, and the training flag or the loss; -1 if none.
   */
  private static int cutTensorAt(byte type) {
    int header = 1 + 1 + 4 + 8;
    return switch (type) {
      case FORWARD -> header + 1;
      case SERVER_OUTPUT -> header;
      case GRADIENT -> header + 4;
      default -> -1;
    };
  }

  private int boundedSize(Message m) {
    long size = size(m);
    if (size > maxBytes) {
      throw new IllegalArgumentException(
          "message "
              + m.getClass().getSimpleName()
              + " of "
              + size
              + " bytes exceeds the bound of "
              + maxBytes
              + " bytes");
    }
    return (int) size;
  }

  /**
   * Writes {@code m}; with {@code defer}, leaves out the values of a cut tensor in direct memory
   * and says which and where (else null).
   */
  private Deferral write(Message m, ByteBuffer buf, boolean defer) {
    buf.put(VERSION);
    Deferral deferred = null;
    if (m instanceof Forward f) {
      header(buf, FORWARD, f.clientId()).putLong(f.step()).put((byte) (f.training() ? 1 : 0));
      deferred =
          skipped(
              buf,
              TensorCodec.put(
                  buf,
                  f.activations(),
                  TensorCodec.choose(f.activations(), compression, activations),
                  defer));
      buf.putInt(f.labels().length);
      buf.asIntBuffer().put(f.labels());
      buf.position(buf.position() + 4 * f.labels().length);
    } else if (m instanceof ServerOutput s) {
      deferred =
          skipped(
              buf,
              TensorCodec.put(
                  header(buf, SERVER_OUTPUT, s.clientId()).putLong(s.step()),
                  s.output(),
                  cut(s.output()),
                  defer));
    } else if (m instanceof Gradient g) {
      deferred =
          skipped(
              buf,
              TensorCodec.put(
                  header(buf, GRADIENT, g.clientId()).putLong(g.step()).putFloat(g.loss()),
                  g.gradient(),
                  cut(g.gradient()),
                  defer));
    } else if (m instanceof Weights w) {
      putNamed(
          header(buf, WEIGHTS, w.clientId()).putLong(w.round()).putLong(w.samples()), w.tensors());
    } else if (m instanceof HeSetup h) {
      header(buf, HE_SETUP, h.clientId()).putInt(h.parameters().length).put(h.parameters());
    } else if (m instanceof EncryptedForward f) {
      header(buf, ENCRYPTED_FORWARD, f.clientId())
          .putLong(f.step())
          .put((byte) (f.training() ? 1 : 0))
          .putInt(f.batch());
      putBytes(buf, f.ciphertexts());
    } else if (m instanceof EncryptedOutput o) {
      putBytes(header(buf, ENCRYPTED_OUTPUT, o.clientId()).putLong(o.step()), o.ciphertexts());
      putNamed(buf, o.layer());
    } else if (m instanceof LayerGradient g) {
      putNamed(header(buf, LAYER_GRADIENT, g.clientId()).putLong(g.step()), g.gradients());
      buf.put((byte) (g.outputGradient() == null ? 0 : 1));
      if (g.outputGradient() != null) {
        TensorCodec.put(buf, g.outputGradient(), cut(g.outputGradient()), false);
      }
    } else if (m instanceof FetchWeights f) {
      header(buf, FETCH_WEIGHTS, f.clientId()).putLong(f.round());
    } else if (m instanceof Hello h) {
      header(buf, HELLO, h.clientId()).putInt(h.protocolVersion());
      putString(buf, h.planFingerprint());
      buf.put((byte) h.compression().wire());
      putString(buf, h.heParameters());
      buf.putInt(h.trainBatches()).putLong(h.trainSamples());
      if (!h.activations().dense()) {
        buf.put(h.activations().wire());
      }
    } else if (m instanceof Welcome w) {
      header(buf, WELCOME, w.clientId()).putLong(w.sessionId()).putInt(w.clients());
      putString(buf, w.schedule());
      buf.putInt(w.epochs())
          .putInt(w.syncEvery())
          .putInt(w.maxBatches())
          .putInt(w.totalBatches())
          .putInt(w.firstEpoch());
    } else if (m instanceof Barrier b) {
      header(buf, BARRIER, b.clientId()).putInt(b.epoch());
    } else if (m instanceof ErrorReply e) {
      header(buf, ERROR, e.clientId()).put((byte) e.code().wire());
      putString(buf, e.text());
    } else {
      header(buf, ACK, m.clientId());
    }
    return deferred;
  }

  private static ByteBuffer header(ByteBuffer buf, byte type, int clientId) {
    return buf.put(type).putInt(clientId);
  }

  private static void putNamed(ByteBuffer buf, List<NamedTensor> tensors) {
    buf.putInt(tensors.size());
    for (NamedTensor t : tensors) {
      byte[] name = utf8(t.name());
      buf.putShort((short) name.length).put(name);
      TensorCodec.put(buf, t.tensor(), TensorCodec.FLOAT32, false);
    }
  }

  private static void putString(ByteBuffer buf, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_TEXT_BYTES) {
      throw new IllegalArgumentException("string longer than " + MAX_TEXT_BYTES + " bytes");
    }
    buf.putShort((short) b.length).put(b);
  }

  private static void putBytes(ByteBuffer buf, List<byte[]> blobs) {
    buf.putInt(blobs.size());
    for (byte[] b : blobs) {
      buf.putInt(b.length).put(b);
    }
  }

  private static byte[] utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("tensor name longer than " + MAX_NAME_BYTES + " bytes");
    }
    return b;
  }

  private static final String[] TYPE_NAMES = {
    "unknown",
    "forward",
    "server_output",
    "gradient",
    "weights",
    "fetch_weights",
    "ack",
    "he_setup",
    "encrypted_forward",
    "encrypted_output",
    "layer_gradient",
    "hello",
    "welcome",
    "barrier",
    "error"
  };

  /**
   * The message type a frame (its remaining bytes) announces, from its header only, "unknown" if
   * none, for metrics.
   */
  public static String typeName(Frame frame) {
    ByteBuffer head = frame.unfilled(); // the header is always in place
    int at = head.position();
    int type = head.remaining() < 2 || head.get(at) != VERSION ? 0 : head.get(at + 1);
    return type > 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : "unknown";
  }

  /** The error a reply frame carries, or null if it is not a well-formed {@link ErrorReply}. */
  public static ErrorReply errorOf(Frame reply) {
    if (reply.deferred() != null) { // an error carries no tensor
      return null;
    }
    ByteBuffer frame = reply.bytes();
    int at = frame.position();
    if (frame.remaining() < 2 || frame.get(at) != VERSION || frame.get(at + 1) != ERROR) {
      return null;
    }
    try {
      return (ErrorReply) new MessageCodec().decode(frame);
    } catch (MalformedMessageException e) {
      return null;
    }
  }

  /** As {@link #decode(ByteBuffer)}, for a message in an array (a file, a test). */
  public Message decode(byte[] bytes) throws MalformedMessageException {
    return decode(ByteBuffer.wrap(bytes));
  }

  /**
   * Decodes one message that fills {@code frame}'s remaining bytes exactly (its position is left as
   * it was). The tensors that cross the cut (activations, the cloud output, gradients) are views of
   * the frame, valid as long as it is; the other tensors (weights) are copies, since a server keeps
   * them across requests.
   *
   * @throws MalformedMessageException naming what is wrong: size bound, version, type, a length
   *     that does not fit, trailing bytes
   */
  public Message decode(ByteBuffer frame) throws MalformedMessageException {
    return decode(frame, null);
  }

  /**
   * As {@link #decode(ByteBuffer)}, for a frame from a link: a cut tensor the frame defers (see
   * {@link Frame}) is decoded as a view of the sender's memory, valid as long as the frame is.
   */
  public Message decode(Frame frame) throws MalformedMessageException {
    if (frame.deferred() == null) {
      return decode(frame.bytes(), null);
    }
    Message m = decode(frame.unfilled(), frame);
    if (!(m instanceof Forward || m instanceof ServerOutput || m instanceof Gradient)) {
      throw new IllegalStateException(
          "a frame of a " + m.getClass().getSimpleName() + " deferred tensor values");
    }
    return m;
  }

  private Message decode(ByteBuffer frame, Frame deferring) throws MalformedMessageException {
    if (frame.remaining() > maxBytes) {
      throw new MalformedMessageException(
          "message of " + frame.remaining() + " bytes exceeds the bound of " + maxBytes + " bytes");
    }
    ByteBuffer buf = frame.slice().order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte version = buf.get();
      if (version != VERSION) {
        throw new MalformedMessageException(
            "unsupported message version "
                + version
                + " (this build reads version "
                + VERSION
                + ")");
      }
      byte type = buf.get();
      int clientId = buf.getInt();
      Message m =
          switch (type) {
            case FORWARD -> {
              long step = buf.getLong();
              boolean training = bool(buf.get(), "Forward.training");
              FloatTensor act = getTensor(buf, "Forward.activations", deferring);
              int n = count(buf, 4, "Forward.labels");
              int[] labels = new int[n];
              buf.asIntBuffer().get(labels);
              buf.position(buf.position() + 4 * n);
              yield checked(() -> new Forward(clientId, step, training, act, labels));
            }
            case SERVER_OUTPUT -> {
              long step = buf.getLong();
              yield new ServerOutput(
                  clientId, step, getTensor(buf, "ServerOutput.output", deferring));
            }
            case GRADIENT -> {
              long step = buf.getLong();
              float loss = buf.getFloat();
              yield new Gradient(
                  clientId, step, getTensor(buf, "Gradient.gradient", deferring), loss);
            }
            case WEIGHTS -> {
              long round = buf.getLong();
              long samples = buf.getLong();
              yield new Weights(clientId, round, samples, getNamed(buf, "Weights.tensors"));
            }
            case HE_SETUP -> new HeSetup(clientId, getBlob(buf, "HeSetup.parameters"));
            case ENCRYPTED_FORWARD -> {
              long step = buf.getLong();
              boolean training = bool(buf.get(), "EncryptedForward.training");
              int batch = buf.getInt();
              List<byte[]> cts = getBytes(buf, "EncryptedForward.ciphertexts");
              yield checked(() -> new EncryptedForward(clientId, step, training, batch, cts));
            }
            case ENCRYPTED_OUTPUT -> {
              long step = buf.getLong();
              List<byte[]> cts = getBytes(buf, "EncryptedOutput.ciphertexts");
              yield new EncryptedOutput(
                  clientId, step, cts, getNamed(buf, "EncryptedOutput.layer"));
            }
            case LAYER_GRADIENT -> {
              long step = buf.getLong();
              List<NamedTensor> grads = getNamed(buf, "LayerGradient.gradients");
              boolean perSample = bool(buf.get(), "LayerGradient.outputGradient present");
              FloatTensor dz =
                  perSample ? getTensor(buf, "LayerGradient.outputGradient", deferring) : null;
              yield new LayerGradient(clientId, step, grads, dz);
            }
            case FETCH_WEIGHTS -> new FetchWeights(clientId, buf.getLong());
            case HELLO -> {
              int protocolVersion = buf.getInt();
              String fingerprint = getString(buf, "Hello.planFingerprint");
              Compression c = enumOf(() -> Compression.ofWire(buf.get()), "Hello.compression");
              String he = getString(buf, "Hello.heParameters");
              int batches = buf.getInt();
              long samples = buf.getLong();
              ActivationEncoding a =
                  buf.hasRemaining()
                      ? enumOf(
                          () -> ActivationEncoding.ofWire(buf.get(), buf.get()),
                          "Hello.activations")
                      : ActivationEncoding.DENSE;
              yield checked(
                  () ->
                      new Hello(
                          clientId, protocolVersion, fingerprint, c, he, batches, samples, a));
            }
            case WELCOME -> {
              long session = buf.getLong();
              int clients = buf.getInt();
              String schedule = getString(buf, "Welcome.schedule");
              yield new Welcome(
                  clientId,
                  session,
                  clients,
                  schedule,
                  buf.getInt(),
                  buf.getInt(),
                  buf.getInt(),
                  buf.getInt(),
                  buf.getInt());
            }
            case BARRIER -> new Barrier(clientId, buf.getInt());
            case ERROR -> {
              ErrorCode code = enumOf(() -> ErrorCode.ofWire(buf.get()), "ErrorReply.code");
              yield new ErrorReply(clientId, code, getString(buf, "ErrorReply.text"));
            }
            case ACK -> new Ack(clientId);
            default -> throw new MalformedMessageException("unknown message type " + type);
          };
      if (buf.hasRemaining()) {
        throw new MalformedMessageException(
            m.getClass().getSimpleName() + ": " + buf.remaining() + " trailing bytes");
      }
      return m;
    } catch (BufferUnderflowException e) {
      throw new MalformedMessageException("message truncated after " + buf.position() + " bytes");
    }
  }

  private interface Builder {
    Message build();
  }

  private static Message checked(Builder b) throws MalformedMessageException {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(e.getMessage());
    }
  }

  private interface EnumReader<T> {
    T read();
  }

  private static <T> T enumOf(EnumReader<T> r, String field) throws MalformedMessageException {
    try {
      return r.read();
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(field + ": " + e.getMessage());
    }
  }

  private static String getString(ByteBuffer buf, String field) throws MalformedMessageException {
    int len = Short.toUnsignedInt(buf.getShort());
    if (len > MAX_TEXT_BYTES || len > buf.remaining()) {
      throw new MalformedMessageException(field + ": string length " + len + " is invalid");
    }
    byte[] b = new byte[len];
    buf.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static boolean bool(byte b, String field) throws MalformedMessageException {
    if (b != 0 && b != 1) {
      throw new MalformedMessageException(field + ": expected 0 or 1, got " + b);
    }
    return b == 1;
  }

  private static int count(ByteBuffer buf, int minBytesEach, String field)
      throws MalformedMessageException {
    int n = buf.getInt();
    if (n < 0 || (long) n * minBytesEach > buf.remaining()) {
      throw new MalformedMessageException(
          field + ": count " + n + " does not fit in the " + buf.remaining() + " bytes left");
    }
    return n;
  }

  private List<NamedTensor> getNamed(ByteBuffer buf, String field)
      throws MalformedMessageException {
    int n = count(buf, 3, field);
    List<NamedTensor> tensors = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = Short.toUnsignedInt(buf.getShort());
      if (len > MAX_NAME_BYTES || len > buf.remaining()) {
        throw new MalformedMessageException(field + ": tensor name length " + len + " is invalid");
      }
      byte[] name = new byte[len];
      buf.get(name);
      FloatTensor t =
          TensorCodec.get(buf, field + "[" + i + "]", maxBytes / Float.BYTES, false, null);
      tensors.add(new NamedTensor(new String(name, StandardCharsets.UTF_8), t));
    }
    return tensors;
  }

  private static List<byte[]> getBytes(ByteBuffer buf, String field)
      throws MalformedMessageException {
    int n = count(buf, 4, field);
    List<byte[]> blobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      blobs.add(getBlob(buf, field + "[" + i + "]"));
    }
    return blobs;
  }

  private static byte[] getBlob(ByteBuffer buf, String field) throws MalformedMessageException {
    int len = buf.getInt();
    if (len < 0 || len > buf.remaining()) {
      throw new MalformedMessageException(
          field + ": length " + len + " does not fit in the " + buf.remaining() + " bytes left");
    }
    byte[] b = new byte[len];
    buf.get(b);
    return b;
  }

  /**
   * One cut tensor, a view of the frame when dense float32; a sparse or packed one may unfold into
   * at most as many values as the bound holds in float32.
   */
  private FloatTensor getTensor(ByteBuffer buf, String field, Frame deferring)
      throws MalformedMessageException {
    return TensorCodec.get(buf, field, maxBytes / Float.BYTES, true, deferring);
  }
}
