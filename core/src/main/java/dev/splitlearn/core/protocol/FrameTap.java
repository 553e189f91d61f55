package dev.splitlearn.core.protocol;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A curious server's recorder: a {@link WireEndpoint} decorator that writes every frame a session
 * receives and sends to a file, exactly as it crossed the wire, for attacks and audits to read
 * later ({@link FrameTapReader}). What it records is what any server operator can see; the training
 * code never hands it anything else.
 *
 * <p>File format, big-endian: the magic {@code SLTAP1\n}, then records of {@code direction:u8} (0
 * client to server, 1 server to client), {@code session:i32} (connection number), {@code nanos:i64}
 * (since the tap opened), {@code length:i32}, the frame's bytes. Recording stops (with the file
 * still well-formed) once {@code maxBytes} have been written, or (with a warning) if the file
 * cannot be written; serving never stops for the tap.
 */
public final class FrameTap implements WireEndpoint, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameTap.class);
  static final byte[] MAGIC = "SLTAP1\n".getBytes(StandardCharsets.US_ASCII);

  /** Direction of a frame from the client to the server. */
  public static final int TO_SERVER = 0;

  /** Direction of a frame from the server to the client. */
  public static final int TO_CLIENT = 1;

  private final WireEndpoint inner;
  private final DataOutputStream out;
  private final long maxBytes;
  private final long start = System.nanoTime();
  private final AtomicInteger sessions = new AtomicInteger();
  private long written;
  private boolean full;

  /**
   * Records what {@code inner} receives and sends into {@code file} (created or replaced), up to
   * {@code maxBytes}.
   *
   * @throws IOException naming the file if it cannot be written
   */
  public FrameTap(WireEndpoint inner, Path file, long maxBytes) throws IOException {
    if (maxBytes < MAGIC.length) {
      throw new IllegalArgumentException("tap size bound too small: " + maxBytes);
    }
    this.inner = inner;
    this.maxBytes = maxBytes;
    OutputStream os;
    try {
      os = Files.newOutputStream(file);
    } catch (IOException e) {
      throw new IOException("--tap " + file + ": cannot write: " + e.getMessage(), e);
    }
    this.out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
    out.write(MAGIC);
    written = MAGIC.length;
  }

  /** Whether the size bound stopped the recording. */
  public synchronized boolean full() {
    return full;
  }

  @Override
  public boolean handlesOnNetworkThreads() {
    // recording adds a buffered file write now and then, never a wait for another connection
    return inner.handlesOnNetworkThreads();
  }

  @Override
  public Connection connect(String peer, OptionalInt authenticatedClient) {
    Connection c = inner.connect(peer, authenticatedClient);
    int session = sessions.getAndIncrement();
    return new Connection() {
      @Override
      public Frame handle(Frame request) {
        record(TO_SERVER, session, request);
        Frame reply = c.handle(request);
        record(TO_CLIENT, session, reply);
        return reply;
      }

      @Override
      public void close() {
        c.close();
      }
    };
  }

  private synchronized void record(int direction, int session, Frame recorded) {
    long size = 1 + 4 + 8 + 4 + (long) recorded.size();
    if (full || written + size > maxBytes) {
      full = true;
      return;
    }
    ByteBuffer frame = recorded.bytes(); // deferred values copied in
    try {
      out.writeByte(direction);
      out.writeInt(session);
      out.writeLong(System.nanoTime() - start);
      out.writeInt(frame.remaining());
      Channels.newChannel(out).write(frame.duplicate()); // in small chunks, not one more frame
      written += size;
    } catch (IOException e) {
      full = true; // recording stops; serving goes on
      LOG.warn("the frame tap stopped recording: {}", e.getMessage());
    }
  }

  /** Writes what is buffered to the file (to read it while the server runs). */
  public synchronized void flush() throws IOException {
    out.flush();
  }

  /** Flushes and closes the file. */
  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
