package org.conclave.sfu.forward;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.conclave.sfu.transport.FrameReader;

/**
 * One ICE-TCP connection (RFC 6544, passive side): its socket, its RFC 4571 reader and its bounded, preallocated write
 * buffer. Owned by one thread at a time: the {@link IceTcpListener} until its first frame names an endpoint, then
 * that endpoint's packet thread ({@link TcpLinks}), handed over once through the thread's task queue.
 *
 * <p>The packet path keys an endpoint's paths by address ({@link EndpointTable}, the ICE agent's validated addresses,
 * {@link EndpointMedia#sendAddress}). A connection is given its own {@link #key}: an address in the discard-only
 * prefix 100::/64 (RFC 6666) numbered per connection, which no UDP datagram comes from and no other connection shares
 * (two connections from one client, or a UDP and a TCP path on the same client port, stay apart). STUN answers report
 * the real {@link #remote} address.
 */
final class TcpConnection {
    private static final byte[] PREFIX = {0x01, 0x00, 0, 0, 0, 0, 0, 0};

    final SocketChannel channel;
    final InetSocketAddress remote;
    final InetSocketAddress key;
    final FrameReader reader;
    /** Frames waiting for the socket, in write mode: bytes [0, position). */
    private final ByteBuffer out;
    /** When the listener accepted it (its clock), for the bind timeout. */
    final long acceptedNanos;
    /** The SFU ufrag its first check named (set by the listener when it hands the connection over). */
    String ufrag;
    /** With the owning thread's selector. */
    SelectionKey selectionKey;
    /** Set once a packet thread adopted it for this endpoint. */
    EndpointMedia endpoint;
    boolean closed;

    TcpConnection(SocketChannel channel, InetSocketAddress remote, long serial, int maxFrame, int writeBufferBytes,
            long acceptedNanos) {
        this.channel = channel;
        this.remote = remote;
        this.key = keyFor(serial, remote == null ? 0 : remote.getPort());
        this.reader = new FrameReader(maxFrame);
        this.out = ByteBuffer.allocate(writeBufferBytes);
        this.acceptedNanos = acceptedNanos;
    }

    /** The path key of connection number {@code serial}. */
    static InetSocketAddress keyFor(long serial, int port) {
        byte[] a = new byte[16];
        System.arraycopy(PREFIX, 0, a, 0, PREFIX.length);
        for (int i = 0; i < 8; i++) a[15 - i] = (byte) (serial >>> (8 * i));
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 16 bytes are always an address
        }
    }

    /** Whether {@code a} is a connection's key rather than a UDP address (allocates: not for the packet path). */
    static boolean isKey(InetSocketAddress a) {
        if (a == null || !(a.getAddress() instanceof Inet6Address v6)) return false;
        byte[] b = v6.getAddress();
        for (int i = 0; i < PREFIX.length; i++) {
            if (b[i] != PREFIX[i]) return false;
        }
        return true;
    }

    /** Reads what the socket has into the frame reader. @return bytes read, -1 at end of stream */
    int read() throws IOException {
        ByteBuffer target = reader.readTarget();
        int n = channel.read(target);
        reader.filled();
        return n;
    }

    /** Queues one frame (header and {@code len} bytes). @return false, queueing nothing, when it does not fit */
    boolean enqueue(byte[] b, int off, int len) {
        if (out.remaining() < FrameReader.HEADER_LENGTH + len) return false;
        out.put((byte) (len >>> 8)).put((byte) len).put(b, off, len);
        return true;
    }

    /** Writes what the socket takes now. @return true when nothing is left queued */
    boolean flush() throws IOException {
        out.flip();
        try {
            channel.write(out);
        } finally {
            out.compact();
        }
        return out.position() == 0;
    }

    boolean hasQueued() {
        return out.position() > 0;
    }

    void close() {
        closed = true;
        if (selectionKey != null) selectionKey.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
