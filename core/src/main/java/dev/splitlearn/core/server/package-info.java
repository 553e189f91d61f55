/**
 * The server's side of split learning as its own runtime: the cloud model shared by all clients,
 * one {@link dev.splitlearn.core.server.Session} per connected client, the plaintext and encrypted
 * cuts as separate handlers, and the schedule as round logic with barriers
 * ({@link dev.splitlearn.core.server.Rounds}). Sessions, averaged weights and checkpoints live
 * behind small interfaces so that replicas can share them later.
 */
package dev.splitlearn.core.server;
