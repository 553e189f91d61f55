/**
 * JMH benchmarks of the wire: a split step's two round trips of codec frames through the in-process
 * transport and through gRPC on loopback, without the engine. Run with {@code
 * BENCH=dev.splitlearn.bench.wire. bench/jmh.sh}.
 */
package dev.splitlearn.bench.wire;
