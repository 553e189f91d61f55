/**
 * The server's side of split learning as its own runtime: the cloud model shared by all clients,
 * one {@link dev.splitlearn.core.server.Session} per connected client, the plaintext and encrypted
 * cuts as separate handlers, and the schedule as round logic with barriers ({@link
 * dev.splitlearn.core.server.Rounds}). Sessions, averaged weights and checkpoints live behind small
 * interfaces so that replicas can share them later. What the runtime does is heard by {@link
 * dev.splitlearn.core.server.ServerListener}s: timing, traffic and checkpoints are listeners
 * ({@link dev.splitlearn.core.server.ServerTiming}, {@link
 * dev.splitlearn.core.server.ServerTraffic}, {@link dev.splitlearn.core.server.ServerCheckpoints}),
 * as are the Prometheus metrics.
 */
package dev.splitlearn.core.server;
