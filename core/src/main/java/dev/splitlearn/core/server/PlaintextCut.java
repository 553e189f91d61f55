package dev.splitlearn.core.server;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.splitlearn.core.defense.GradientDp;
import dev.splitlearn.core.kernels.EngineThread;
import dev.splitlearn.core.party.Losses;
import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.core.party.Tensors;
import dev.splitlearn.core.protocol.ErrorCode;
import dev.splitlearn.core.protocol.FloatTensor;
import dev.splitlearn.core.protocol.Message;
import dev.splitlearn.core.protocol.Message.Forward;
import dev.splitlearn.core.protocol.Message.Gradient;
import dev.splitlearn.core.protocol.Message.ServerOutput;
import dev.splitlearn.core.protocol.ProtocolException;
import dev.splitlearn.models.SplitPlan;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The plaintext cut on the server: the cloud model's forward pass on a client's activations and, in
 * U-shaped mode, its backward pass when the gradient of the output comes back (the graph is kept in
 * the session meanwhile); in vanilla mode the loss on the client's labels and both passes at once.
 */
final class PlaintextCut {
  private final SplitPlan plan;
  private final PartModel cloud;
  private final Rounds rounds;
  private final Duration waitTimeout;
  // a U-shaped step spans two requests; its backward needs the weights its forward used, and the
  // optimizer updates them in place: one step at a time on the cloud model, granted in arrival
  // order
  private final Semaphore stepPermit = new Semaphore(1, true);
  private final GradientDp
      gradientDp; // vanilla training: clip and noise the returned gradient, or null

  /**
   * A frozen client extractor (PrivyNet) takes no gradient: none is computed or sent back for it.
   */
  private final boolean frozenExtractor;

  /** What goes back instead of the activations' gradient to a frozen extractor: an empty tensor. */
  static final FloatTensor NO_GRADIENT = new FloatTensor(new long[] {0}, new float[0]);

  PlaintextCut(
      SplitPlan plan, PartModel cloud, Rounds rounds, Duration waitTimeout, GradientDp gradientDp) {
    if (gradientDp != null && plan.labelsOnClient()) {
      throw new IllegalArgumentException(
          "--grad-dp-clip/--grad-dp-noise protect the gradient a vanilla server "
              + "computes from the labels; the plan is "
              + plan.protocol().cliName());
    }
    this.frozenExtractor = plan.model().localTopology() != null;
    this.plan = plan;
    this.cloud = cloud;
    this.rounds = rounds;
    this.waitTimeout = waitTimeout;
    this.gradientDp = gradientDp;
  }

  Message forward(Session s, Forward f) {
    String what = "Forward from client " + f.clientId();
    Checks.activationShape(f.activations(), cloud.inputShape(), what);
    boolean serverLoss = !plan.labelsOnClient();
    if (plan.labelsOnClient() && f.labels().length > 0) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT, what + ": labels must stay on the client in u-shaped mode");
    }
    if (serverLoss && f.training()) {
      if (f.labels().length == 0) {
        throw new ProtocolException(
            ErrorCode.INVALID_ARGUMENT, what + ": vanilla training needs the batch labels");
      }
      Checks.labels(f.labels(), plan.model().numClasses(), what);
    }
    s.dropPending();
    if (!f.training()) {
      return EngineThread.call(
          () ->
              replyOver(
                  s,
                  cloud.newScope(),
                  (scope, memory) -> {
                    NDArray out = cloud.forward(Tensors.toArray(scope, f.activations()), false);
                    return new ServerOutput(f.clientId(), f.step(), memory.keep(out));
                  }));
    }
    rounds.admit(f.clientId(), f.step());
    if (serverLoss) {
      Message reply =
          EngineThread.call(
              () ->
                  replyOver(
                      s,
                      cloud.newScope(),
                      (scope, memory) -> {
                        NDArray x = Checks.finiteArray(scope, f.activations(), what);
                        x.setRequiresGradient(!frozenExtractor);
                        float loss;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                          NDArray lossArray =
                              Losses.crossEntropy(cloud.forward(x, true), f.labels());
                          gc.backward(lossArray);
                          loss = lossArray.getFloat();
                        }
                        FloatTensor dx =
                            frozenExtractor
                                ? NO_GRADIENT
                                : memory.keep(
                                    gradientDp == null
                                        ? x.getGradient()
                                        : gradientDp.apply(
                                            x.getGradient(), f.clientId(), f.step()));
                        cloud.step();
                        return new Gradient(f.clientId(), f.step(), dx, loss);
                      }));
      completed(s);
      return reply;
    }
    acquireStepPermit(f.clientId());
    try {
      return EngineThread.call(
          () -> {
            NDManager scope = cloud.newScope();
            NDArray x;
            NDArray out;
            try {
              x = Checks.finiteArray(scope, f.activations(), what);
              x.setRequiresGradient(!frozenExtractor);
              try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = cloud.forward(x, true);
              }
            } catch (RuntimeException | Error e) {
              scope.close(); // the step never becomes pending
              throw e;
            }
            Session.PendingStep pending =
                new Session.PendingStep(f.step(), scope, x, out, stepPermit);
            synchronized (s) {
              s.pending = pending;
            }
            // the reply views a copy, since the pending step may be dropped (the connection
            // closing) while the reply is still valid
            return replyOver(
                s,
                cloud.newScope(),
                (none, memory) ->
                    new ServerOutput(
                        f.clientId(), f.step(), memory.keep(pending.output().duplicate())));
          });
    } catch (RuntimeException e) {
      synchronized (s) {
        if (s.pending == null || s.pending.step() != f.step()) {
          stepPermit.release(); // the step never became pending
        }
      }
      throw e;
    }
  }

  private void acquireStepPermit(int clientId) {
    try {
      if (!stepPermit.tryAcquire(waitTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ProtocolException(
            ErrorCode.DEADLINE_EXCEEDED,
            "Forward from client "
                + clientId
                + ": waited "
                + waitTimeout.toSeconds()
                + " s for another client's step to finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProtocolException(
          ErrorCode.UNAVAILABLE, "interrupted while waiting for the cloud model");
    }
  }

  Message backward(Session s, Gradient g) {
    Session.PendingStep p;
    synchronized (s) {
      p = s.pending;
      s.pending = null;
    }
    if (p == null || p.step() != g.step()) {
      if (p != null) {
        p.end();
      }
      throw new ProtocolException(
          "Gradient from client "
              + g.clientId()
              + " for step "
              + g.step()
              + ": no forward pass of that step is pending");
    }
    Message reply;
    try {
      reply =
          EngineThread.call(
              () ->
                  replyOver(
                      s, p.scope(), (scope, memory) -> backwardOnEngine(scope, memory, p, g)));
    } finally {
      stepPermit.release(); // the step is over, done or failed
    }
    completed(s);
    return reply;
  }

  private Message backwardOnEngine(
      NDManager scope, ReplyMemory memory, Session.PendingStep p, Gradient g) {
    if (!p.output().getShape().equals(new Shape(g.gradient().shape()))) {
      throw new ProtocolException(
          ErrorCode.INVALID_ARGUMENT,
          "Gradient from client "
              + g.clientId()
              + ": shape "
              + new Shape(g.gradient().shape())
              + " does not match the output "
              + p.output().getShape());
    }
    NDArray dz = Checks.finiteArray(scope, g.gradient(), "Gradient from client " + g.clientId());
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      Tensors.backward(p.output(), dz);
    }
    FloatTensor dx = frozenExtractor ? NO_GRADIENT : memory.keep(p.input().getGradient());
    cloud.step();
    return new Gradient(g.clientId(), g.step(), dx, Float.NaN);
  }

  /** Where a reply's tensors live while the reply is valid. */
  private interface ReplyMemory {
    /** Moves {@code array} into the reply's memory and returns a view of it (not a copy). */
    FloatTensor keep(NDArray array);
  }

  /**
   * Builds a reply with {@code work}, a scope closed once the reply is built. The arrays the reply
   * views are moved to memory of their own that the session keeps while the reply is valid (until
   * the next reply is made: in process, the client reads them where they are); if building fails,
   * everything is freed at once.
   */
  private Message replyOver(
      Session s, NDManager work, BiFunction<NDManager, ReplyMemory, Message> build) {
    NDManager kept = cloud.newScope();
    try {
      Message reply =
          build.apply(
              work,
              array -> {
                array.attach(kept);
                return Tensors.view(array);
              });
      s.keepForReply(kept);
      return reply;
    } catch (RuntimeException | Error e) {
      kept.close();
      throw e;
    } finally {
      work.close();
    }
  }

  private void completed(Session s) {
    synchronized (s) {
      s.steps++;
    }
    rounds.stepDone(s.clientId());
  }
}
