package dev.splitlearn.metrics;

import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.Message.ErrorReply;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.core.server.ServerListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.util.OptionalInt;

/**
 * The server's Prometheus metrics: sessions open and opened, training steps and their compute time,
 * requests, bytes each way and refusals by kind, and request latency by message type (what a client
 * waits for, barriers included). Fed by {@link #meter} (every frame in and out of the endpoint) and
 * by the runtime as a {@link ServerListener}; served with the JVM's own metrics on {@code
 * /metrics}, with {@code /-/healthy} answering 200 while the process serves.
 */
public final class ServerMetrics implements ServerListener {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge sessionsOpen =
      Gauge.builder()
          .name("splitlearn_sessions_open")
          .help("Client sessions open now (past the handshake)")
          .register(registry);
  private final Counter sessions =
      Counter.builder()
          .name("splitlearn_sessions")
          .help("Client sessions opened since start")
          .register(registry);
  private final Counter steps =
      Counter.builder()
          .name("splitlearn_steps")
          .help("Training steps completed, all clients")
          .register(registry);
  private final Histogram stepCompute =
      Histogram.builder()
          .name("splitlearn_step_compute_seconds")
          .help("Server compute time of one training step (waits excluded)")
          .unit(Unit.SECONDS)
          .classicExponentialUpperBounds(0.001, 2, 16)
          .register(registry);
  private final Counter requests =
      Counter.builder()
          .name("splitlearn_requests")
          .help("Requests received, by message type")
          .labelNames("type")
          .register(registry);
  private final Counter refusals =
      Counter.builder()
          .name("splitlearn_refusals")
          .help("Requests refused, by status code")
          .labelNames("code")
          .register(registry);
  private final Counter bytesIn =
      Counter.builder()
          .name("splitlearn_received_bytes")
          .help("Bytes of request frames received")
          .unit(Unit.BYTES)
          .register(registry);
  private final Counter bytesOut =
      Counter.builder()
          .name("splitlearn_sent_bytes")
          .help("Bytes of reply frames sent")
          .unit(Unit.BYTES)
          .register(registry);
  private final Histogram latency =
      Histogram.builder()
          .name("splitlearn_request_seconds")
          .help("Time from a request frame to its reply, by message type")
          .unit(Unit.SECONDS)
          .labelNames("type")
          .classicExponentialUpperBounds(0.0005, 2, 18)
          .register(registry);

  /** Metrics with the JVM's (memory, threads, GC) beside them. */
  public ServerMetrics() {
    JvmMetrics.builder().register(registry);
  }

  /** {@code endpoint}, with every frame counted and timed here. */
  public WireEndpoint meter(WireEndpoint endpoint) {
    return new WireEndpoint() {
      @Override
      public boolean handlesOnNetworkThreads() {
        return endpoint.handlesOnNetworkThreads();
      }

      @Override
      public Connection connect(String peer, OptionalInt authenticated) {
        return metered(endpoint.connect(peer, authenticated));
      }
    };
  }

  private WireEndpoint.Connection metered(WireEndpoint.Connection inner) {
    return new WireEndpoint.Connection() {
      @Override
      public Frame handle(Frame request) {
        long t0 = System.nanoTime();
        String type = MessageCodec.typeName(request);
        requests.labelValues(type).inc();
        bytesIn.inc(request.size());
        Frame reply = inner.handle(request);
        bytesOut.inc(reply.size());
        ErrorReply refusal = MessageCodec.errorOf(reply);
        if (refusal != null) {
          refusals.labelValues(refusal.code().name()).inc();
        }
        latency.labelValues(type).observe((System.nanoTime() - t0) / 1e9);
        return reply;
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  @Override
  public void sessionOpened(int clientId) {
    sessions.inc();
    sessionsOpen.inc();
  }

  @Override
  public void sessionClosed(int clientId, long stepCount) {
    sessionsOpen.dec();
  }

  @Override
  public void stepDone(int clientId, long computeNanos) {
    steps.inc();
    stepCompute.observe(computeNanos / 1e9);
  }

  /**
   * Serves {@code /metrics} and {@code /-/healthy} on {@code host:port} (port 0: any free one).
   *
   * @throws IOException naming the port if it cannot be bound
   */
  public HTTPServer serve(String host, int port) throws IOException {
    try {
      return HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
    } catch (IOException e) {
      throw new IOException(
          "--metrics-port " + port + ": cannot listen on " + host + ": " + e.getMessage(), e);
    }
  }

  /** The registry, for tests and embedding. */
  public PrometheusRegistry registry() {
    return registry;
  }
}
