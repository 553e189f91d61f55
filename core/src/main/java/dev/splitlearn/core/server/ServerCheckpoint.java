package dev.splitlearn.core.server;

import dev.splitlearn.core.party.PartModel;
import dev.splitlearn.models.SplitPlan;

/**
 * What {@link ServerListener#checkpointDue} may save: the server's state at an epoch's barrier.
 * Read it during the call only (the barrier holds the schedule's lock, so nothing changes
 * meanwhile).
 *
 * @param epoch the epoch every client has finished, 1-based
 * @param plan the plan served
 * @param cloud the cloud model
 * @param weights the client-side weights passed on or averaged (the relay a resumed run restarts
 *     from)
 */
public record ServerCheckpoint(int epoch, SplitPlan plan, PartModel cloud, WeightStore weights) {}
