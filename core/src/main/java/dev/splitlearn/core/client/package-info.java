/**
 * The client's side of split learning as its own runtime: the client's parts of the model ({@link
 * dev.splitlearn.core.client.SplitClient}), the plaintext and encrypted cuts as separate exchanges,
 * and the loop that follows the server's schedule over the client's own data ({@link
 * dev.splitlearn.core.client.SplitClientRuntime}). The loop fires events to a {@link
 * dev.splitlearn.core.client.ClientListener}; timing, traffic and checkpoints are listeners ({@link
 * dev.splitlearn.core.client.ClientTiming}, {@link dev.splitlearn.core.client.ClientTraffic},
 * {@link dev.splitlearn.core.client.ClientCheckpoints}), composed with {@link
 * dev.splitlearn.core.client.ClientListeners#of}.
 */
package dev.splitlearn.core.client;
