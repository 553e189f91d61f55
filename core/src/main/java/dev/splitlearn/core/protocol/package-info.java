/**
 * The split protocol on the wire: {@link dev.splitlearn.core.protocol.Message} types, their
 * versioned binary {@link dev.splitlearn.core.protocol.MessageCodec}, and the {@link
 * dev.splitlearn.core.protocol.Transport} that carries them.
 */
package dev.splitlearn.core.protocol;
