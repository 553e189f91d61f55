/**
 * The split protocol over gRPC-java (Netty, shaded): one bidirectional stream per client session,
 * each frame one message of the core codec ({@link dev.splitlearn.core.protocol.MessageCodec}), so
 * the bytes on the wire are the bytes the in-process transport counts. The server end wraps a
 * {@link dev.splitlearn.core.protocol.WireEndpoint} ({@link
 * dev.splitlearn.transport.grpc.GrpcServer}); the client end is a {@link
 * dev.splitlearn.core.protocol.WireTransport.Link} ({@link
 * dev.splitlearn.transport.grpc.GrpcLink}).
 */
package dev.splitlearn.transport.grpc;
