package dev.splitlearn.core.server;

import dev.splitlearn.core.encrypted.Encryption;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.OptimizerSpec;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.Frame;
import dev.splitlearn.core.protocol.FrameBuffers;
import dev.splitlearn.core.protocol.MalformedMessageException;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Ack;
import dev.splitlearn.core.protocol.Message.Barrier;
import dev.splitlearn.core.protocol.Message.EncryptedForward;
import dev.splitlearn.core.protocol.Message.ErrorReply;
import dev.splitlearn.core.protocol.Message.FetchWeights;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.HeSetup;
import dev.splitlearn.core.protocol.Message.Hello;
import dev.splitlearn.core.protocol.Message.LayerGradient;
import dev.splitlearn.core.protocol.Message.Weights;
import dev.splitlearn.core.protocol.Message.Welcome;
import dev.splitlearn.core.protocol.MessageCodec;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.core.protocol.WireEndpoint;
import dev.splitlearn.models.Role;
import dev.splitlearn.models.SplitPlan;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server: holds the cloud model shared by all clients, serves each client's session through a
 * {@link WireEndpoint.Connection} (in-process or over the network alike), and coordinates the
 * schedule. Owns its own state, weights and checkpoints; knows nothing of the clients but what
 * arrives on the wire. Thread-safe: connections may be served from different threads.
 *
 * <p>Timing, traffic and checkpoints are {@link ServerListener}s: a {@link ServerTiming} and a
 * {@link ServerTraffic} of its own, whose figures {@link #clientFigures} reports, a {@link
 * ServerCheckpoints} when the config names a store, then those added with {@link #addListener}.
 */
public final class SplitServerRuntime implements WireEndpoint, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SplitServerRuntime.class);

  private final SplitPlan plan;
  private final OptimizerSpec optimizer;
  private final ServerConfig config;
  private final PartModel cloud;
  private final SessionStore sessions;
  private final WeightStore weights;
  private final Rounds rounds;
  private final PlaintextCut plaintext;
  private final EncryptedCut encrypted;
  private final MessageCodec codec = new MessageCodec();
  private final SecureRandom random = new SecureRandom();
  private final List<Session> finished = new ArrayList<>();
  private final java.util.concurrent.CountDownLatch allLeft;
  private boolean optimizerPlanned;
  private final ServerTraffic traffic;
  private final ServerTiming timing;

  /** Timing, traffic, checkpoints (with a store), then those added: replaced whole on every add. */
  private volatile ServerListener listeners;

  /**
   * Creates the server's part of {@code plan}, initialised from {@code seed} (or restored from the
   * checkpoint when {@code config.resume()}).
   *
   * @param encryption serves clients that encrypt their activations; null refuses them
   */
  public SplitServerRuntime(
      SplitPlan plan,
      long seed,
      OptimizerSpec optimizer,
      Encryption encryption,
      ServerConfig config)
      throws IOException {
    this(
        plan,
        seed,
        optimizer,
        encryption,
        config,
        new InMemorySessionStore(),
        new InMemoryWeightStore());
  }

  /** As above, with the session and weight stores given. */
  public SplitServerRuntime(
      SplitPlan plan,
      long seed,
      OptimizerSpec optimizer,
      Encryption encryption,
      ServerConfig config,
      SessionStore sessions,
      WeightStore weights)
      throws IOException {
    this.plan = plan;
    this.optimizer = optimizer;
    this.config = config;
    this.sessions = sessions;
    this.weights = weights;
    this.cloud =
        PartModel.create(
            "server/cloud",
            plan.model(),
            plan.from(Role.CLOUD),
            plan.to(Role.CLOUD),
            seed,
            optimizer);
    this.rounds = new Rounds(config, weights);
    this.allLeft = new java.util.concurrent.CountDownLatch(config.clients());
    this.plaintext =
        new PlaintextCut(plan, cloud, rounds, config.waitTimeout(), config.gradientDp());
    this.encrypted = new EncryptedCut(plan, cloud, encryption, rounds);
    this.traffic = new ServerTraffic(config.clients());
    this.timing = new ServerTiming(config.clients());
    ServerCheckpoints checkpoints =
        config.checkpoints() == null ? null : new ServerCheckpoints(config.checkpoints());
    this.listeners =
        checkpoints == null
            ? ServerListeners.of(timing, traffic)
            : ServerListeners.of(timing, traffic, checkpoints);
    if (config.resume()) {
      rounds.startAt(checkpoints.restore(plan, cloud, weights) + 1);
    }
  }

  /**
   * Adds a listener of sessions, requests, steps and epochs (metrics, logs, checkpoints of one's
   * own), heard after the runtime's timing, traffic and checkpoint listeners and those added
   * before.
   */
  public synchronized void addListener(ServerListener listener) {
    listeners = ServerListeners.of(listeners, listener);
  }

  /** The plan this server serves. */
  public SplitPlan plan() {
    return plan;
  }

  /** The cloud model (for accounting, tests and attacks). */
  public PartModel cloud() {
    return cloud;
  }

  @Override
  public Connection connect(String peer, OptionalInt authenticatedClient) {
    return new ServerConnection(peer, authenticatedClient);
  }

  /**
   * With one client in plaintext: nothing waits for another connection (one session is in the run
   * at a time), and a request takes one step's work. Encrypted steps may take minutes.
   */
  @Override
  public boolean handlesOnNetworkThreads() {
    return config.clients() == 1 && !encrypted.enabled();
  }

  /**
   * Waits until every client has left after the run's last epoch (a client that drops out earlier
   * may rejoin, so it is waited for); false on timeout.
   */
  public boolean awaitClientsLeft(java.time.Duration timeout) throws InterruptedException {
    return allLeft.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Per-client figures as the server saw them, by client id: steps and bytes each way, summed over
   * the client's sessions (more than one if it dropped out and rejoined).
   */
  public synchronized List<Map<String, Object>> clientFigures() {
    List<Session> all = new ArrayList<>(finished);
    all.addAll(sessions.all());
    Map<Integer, List<Session>> byClient = new java.util.TreeMap<>();
    all.forEach(s -> byClient.computeIfAbsent(s.clientId(), id -> new ArrayList<>()).add(s));
    List<Map<String, Object>> out = new ArrayList<>();
    byClient.forEach(
        (id, list) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("client", id);
          m.put("sessions", list.size());
          m.put("steps", list.stream().mapToLong(Session::steps).sum());
          m.put("bytes_received", traffic.bytesReceived(id));
          m.put("bytes_sent", traffic.bytesSent(id));
          m.put("messages_received", traffic.messagesReceived(id));
          m.put("seconds", timing.busySeconds(id));
          out.add(m);
        });
    return out;
  }

  private final class ServerConnection implements Connection {
    private final String peer;
    private final OptionalInt authenticated;
    private Session session;
    private final AtomicBoolean closed = new AtomicBoolean();
    private MessageCodec replies = codec;
    private final FrameBuffers replyFrames = new FrameBuffers();

    ServerConnection(String peer, OptionalInt authenticated) {
      this.peer = peer;
      this.authenticated = authenticated;
    }

    @Override
    public Frame handle(Frame request) {
      long t0 = System.nanoTime();
      long waited0 = Rounds.waitedNanos();
      long bytesIn =
          session == null ? 0 : request.size(); // the handshake is not the session's traffic
      ServerListener heard = listeners;
      Message reply;
      int clientId = session == null ? -1 : session.clientId();
      try {
        Message m = codec.decode(request);
        clientId = m.clientId();
        long stepsBefore = session == null ? 0 : session.steps();
        reply = dispatch(m);
        if (session != null && session.steps() > stepsBefore) {
          heard.stepDone(
              session.clientId(), System.nanoTime() - t0 - (Rounds.waitedNanos() - waited0));
        }
      } catch (MalformedMessageException e) {
        reply =
            new ErrorReply(
                clientId, ErrorCode.INVALID_ARGUMENT, "malformed message: " + e.getMessage());
      } catch (ProtocolException e) {
        reply = new ErrorReply(clientId, e.code(), e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("internal error serving client {} ({})", clientId, peer, e);
        reply =
            new ErrorReply(
                clientId,
                ErrorCode.INTERNAL,
                "internal server error: " + e.getClass().getSimpleName());
      }
      Frame bytes;
      try {
        bytes = replies.encode(reply, replyFrames);
      } catch (IllegalArgumentException e) {
        bytes =
            codec.encode(
                new ErrorReply(clientId, ErrorCode.RESOURCE_EXHAUSTED, e.getMessage()),
                replyFrames);
      } finally {
        if (session != null) {
          session.replyMade();
        }
      }
      if (session != null) {
        heard.requestDone(
            session.clientId(),
            bytesIn,
            bytes.size(),
            System.nanoTime() - t0 - (Rounds.waitedNanos() - waited0));
      }
      return bytes;
    }

    private Message dispatch(Message m) {
      if (session == null) {
        if (!(m instanceof Hello h)) {
          throw new ProtocolException(
              ErrorCode.FAILED_PRECONDITION,
              m.getClass().getSimpleName() + " before Hello: a session starts with the handshake");
        }
        return open(h);
      }
      if (m.clientId() != session.clientId()) {
        throw new ProtocolException(
            ErrorCode.PERMISSION_DENIED,
            m.getClass().getSimpleName()
                + " for client "
                + m.clientId()
                + " on the session of client "
                + session.clientId());
      }
      if (m instanceof Forward f) {
        return plaintext.forward(session, f);
      } else if (m instanceof Gradient g) {
        return plaintext.backward(session, g);
      } else if (m instanceof HeSetup h) {
        return encrypted.setup(session, h);
      } else if (m instanceof EncryptedForward f) {
        return encrypted.forward(session, f);
      } else if (m instanceof LayerGradient g) {
        return encrypted.layerGradient(session, g);
      } else if (m instanceof Weights w) {
        rounds.upload(w);
        return new Ack(w.clientId());
      } else if (m instanceof FetchWeights f) {
        return rounds.fetch(f.clientId(), f.round());
      } else if (m instanceof Barrier b) {
        rounds.barrier(b.clientId(), b.epoch(), () -> epochDone(b.epoch()));
        return new Ack(b.clientId());
      } else if (m instanceof Hello) {
        throw new ProtocolException(
            ErrorCode.FAILED_PRECONDITION,
            "Hello on an open session of client " + session.clientId());
      }
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, "the server does not accept " + m.getClass().getSimpleName());
    }

    private Message open(Hello h) {
      if (authenticated.isPresent() && authenticated.getAsInt() != h.clientId()) {
        throw new ProtocolException(
            ErrorCode.PERMISSION_DENIED,
            "Hello from client "
                + h.clientId()
                + ": the token presented is client "
                + authenticated.getAsInt()
                + "'s");
      }
      if (h.protocolVersion() != MessageCodec.VERSION) {
        throw new ProtocolException(
            ErrorCode.ABORTED,
            "Hello from client "
                + h.clientId()
                + ": protocol version "
                + h.protocolVersion()
                + ", this server speaks version "
                + MessageCodec.VERSION);
      }
      String agreed =
          plan.serverFingerprint(); // the whole plan; for a shared cloud, the cloud and the cut
      if (!h.planFingerprint().equals(agreed)) {
        String why = SplitPlan.mismatch(h.planFingerprint(), agreed);
        throw new ProtocolException(
            ErrorCode.ABORTED,
            "Hello from client "
                + h.clientId()
                + ": "
                + (why.isEmpty() ? "" : why + "; ")
                + "the client runs '"
                + h.planFingerprint()
                + "', this server '"
                + agreed
                + "'");
      }
      if (h.clientId() < 0 || h.clientId() >= config.clients()) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT,
            "Hello from client "
                + h.clientId()
                + ": client ids of this run are 0.."
                + (config.clients() - 1));
      }
      if (!h.heParameters().isEmpty() && !plan.labelsOnClient()) {
        throw new ProtocolException(
            ErrorCode.ABORTED,
            "Hello from client " + h.clientId() + ": encryption needs the u-shaped protocol");
      }
      if (!h.activations().dense() && !h.heParameters().isEmpty()) {
        throw new ProtocolException(
            ErrorCode.ABORTED,
            "Hello from client "
                + h.clientId()
                + ": "
                + h.activations().cliName()
                + " activations need the plaintext cut; encrypted activations are ciphertexts");
      }
      Session s = new Session(random.nextLong() & Long.MAX_VALUE, h);
      sessions.add(s);
      session = s;
      replies = codec.withCompression(h.compression());
      LOG.info(
          "client {} joined from {} (session {}, {}, activations {}, {})",
          h.clientId(),
          peer,
          Long.toHexString(s.id()),
          h.compression().cliName(),
          h.activations().cliName(),
          h.heParameters().isEmpty() ? "plaintext" : "encrypted " + h.heParameters());
      int maxBatches = rounds.join(h.clientId(), h.trainBatches());
      listeners.sessionOpened(h.clientId());
      if (rounds.firstEpochOf(h.clientId()) != rounds.firstEpoch()) {
        LOG.info(
            "client {} rejoined the run; it redoes epoch {}",
            h.clientId(),
            rounds.firstEpochOf(h.clientId()));
      }
      planOptimizer();
      return new Welcome(
          h.clientId(),
          s.id(),
          config.clients(),
          config.schedule().cliName(),
          config.epochs(),
          config.syncEvery(),
          maxBatches,
          rounds.totalBatches(),
          rounds.firstEpochOf(h.clientId()));
    }

    @Override
    public void close() {
      // the transport and the connection's owner may both close it: the session ends once
      if (session == null || !closed.compareAndSet(false, true)) {
        return;
      }
      session.dropPending();
      session.freeReplies();
      sessions.remove(session);
      rounds.leave(session.clientId());
      synchronized (SplitServerRuntime.this) {
        finished.add(session);
      }
      if (rounds.finished(session.clientId())) {
        allLeft.countDown();
        LOG.info("client {} left ({} steps)", session.clientId(), session.steps());
      } else {
        LOG.warn(
            "client {} dropped out of the run ({} steps); the others go on, it may rejoin from its checkpoint",
            session.clientId(),
            session.steps());
      }
      listeners.sessionClosed(session.clientId(), session.steps());
    }
  }

  /** Once every client has joined, the learning-rate schedule knows the run's total steps. */
  private synchronized void planOptimizer() {
    if (!optimizerPlanned) {
      optimizerPlanned = true;
      long total = (long) rounds.totalBatches() * config.epochs();
      EngineThread.run(
          () ->
              cloud.useOptimizer(
                  optimizer.withTotalSteps((int) Math.min(Integer.MAX_VALUE, total))));
    }
  }

  /**
   * At an epoch's barrier, under the schedule's lock: the listeners checkpoint and hear the epoch
   * end.
   */
  private void epochDone(int epoch) {
    ServerListener heard = listeners;
    try {
      heard.checkpointDue(new ServerCheckpoint(epoch, plan, cloud, weights));
    } catch (IOException e) {
      throw new ProtocolException(
          ErrorCode.INTERNAL, "server checkpoint of epoch " + epoch + " failed: " + e.getMessage());
    }
    LOG.info("epoch {} of {} done", epoch, config.epochs());
    heard.epochEnd(epoch, config.epochs());
  }

  @Override
  public void close() {
    for (Session s : sessions.all()) {
      s.dropPending();
    }
    EngineThread.run(cloud::close);
  }
}
