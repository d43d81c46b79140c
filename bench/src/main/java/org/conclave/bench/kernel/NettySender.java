package org.conclave.bench.kernel;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/**
 * Netty's native epoll transport. Written from its event loop (the packet loop would have to be that loop), with the
 * void promise. {@code EpollDatagramChannel.doWrite} hands every flushed datagram to one {@code sendmmsg} when more
 * than one is queued (and a {@code SegmentedDatagramPacket} to {@code sendmmsg} with {@code UDP_SEGMENT}, GSO).
 * <ul>
 *   <li>{@link Mode#SINGLE}: write and flush per datagram (Netty's overhead without the batching);
 *   <li>{@link Mode#MMSG}: write per datagram, flush per batch, each receiver's {@code DatagramPacket}s (and their
 *       direct buffers) preallocated in a small ring and reused: retained before each write, so Netty's release after
 *       the write leaves them alive;
 *   <li>{@link Mode#MMSG_ALLOC}: the same, the ordinary way: a pooled buffer and a new {@code DatagramPacket} per write;
 *   <li>{@link Mode#GSO}: a receiver's datagrams of one batch copied back to back into one buffer and sent as one
 *       {@code SegmentedDatagramPacket} (all segments of one size: a benchmark of bursts of equal packets).
 * </ul>
 */
final class NettySender implements Sender {
    enum Mode { SINGLE, MMSG, MMSG_ALLOC, GSO }

    /** The most datagrams per receiver per batch (the reuse ring's size, at most). */
    static final int RING = 64;
    private static final int GSO_BYTES = 65_000;

    private final Mode mode;
    private final Sinks sinks;
    private final EventLoopGroup group;
    private final Channel channel;
    private final DatagramPacket[][] ring;
    private final int ringMask;
    private final int[] next;
    private final ByteBuf[] gso;
    private final int[] gsoSegment;
    private final SegmentedDatagramPacket[] gsoPacket;
    private final int[] touched;
    private int touchedCount;
    private long dropped;

    /**
     * @param perReceiver the most datagrams one receiver gets in one batch: the reuse ring holds that many per
     *     receiver and no more, so the slots stay in the cache, as a packet thread's would
     */
    NettySender(Mode mode, Sinks sinks, int perReceiver) throws java.io.IOException, InterruptedException {
        this.mode = mode;
        this.sinks = sinks;
        int k = sinks.count();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        dropped++; // a failed write with the void promise lands here, on the event loop
                    }
                })
                .bind(new InetSocketAddress(sinks.bindAddress(), 0)).sync().channel();
        int slots = Integer.highestOneBit(Math.max(1, Math.min(RING, perReceiver)) * 2 - 1); // a power of two
        ringMask = slots - 1;
        ring = new DatagramPacket[mode == Mode.MMSG || mode == Mode.SINGLE ? k : 0][];
        for (int r = 0; r < ring.length; r++) {
            ring[r] = new DatagramPacket[slots];
            for (int i = 0; i < slots; i++) {
                ring[r][i] = new DatagramPacket(Unpooled.directBuffer(2048), sinks.address(r));
            }
        }
        next = new int[k];
        int g = mode == Mode.GSO ? k : 0;
        gso = new ByteBuf[g];
        for (int r = 0; r < g; r++) gso[r] = Unpooled.directBuffer(GSO_BYTES);
        gsoSegment = new int[g];
        gsoPacket = new SegmentedDatagramPacket[g];
        touched = new int[k];
    }

    static boolean gsoSupported() {
        return EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    }

    @Override
    public String name() {
        return switch (mode) {
            case SINGLE -> "netty-single";
            case MMSG -> "netty-mmsg";
            case MMSG_ALLOC -> "netty-mmsg-alloc";
            case GSO -> "netty-gso";
        };
    }

    @Override
    public void queue(byte[] tx, int len, int r) {
        switch (mode) {
            case SINGLE, MMSG -> {
                DatagramPacket p = ring[r][next[r]++ & ringMask];
                p.content().clear().writeBytes(tx, 0, len);
                p.retain();
                if (mode == Mode.SINGLE) {
                    channel.writeAndFlush(p, channel.voidPromise());
                } else {
                    channel.write(p, channel.voidPromise());
                }
            }
            case MMSG_ALLOC -> {
                ByteBuf b = channel.alloc().directBuffer(len);
                b.writeBytes(tx, 0, len);
                channel.write(new DatagramPacket(b, sinks.address(r)), channel.voidPromise());
            }
            case GSO -> {
                ByteBuf b = gso[r];
                if (b.writerIndex() == 0) {
                    touched[touchedCount++] = r;
                    gsoSegment[r] = len;
                } else if (len != gsoSegment[r] || b.writerIndex() + len > GSO_BYTES) {
                    throw new IllegalStateException("GSO needs equal segments within 64 KB");
                }
                b.writeBytes(tx, 0, len);
            }
        }
    }

    @Override
    public void flush() {
        if (mode == Mode.GSO) {
            for (int i = 0; i < touchedCount; i++) {
                int r = touched[i];
                SegmentedDatagramPacket p = gsoPacket[r];
                if (p == null || p.segmentSize() != gsoSegment[r]) {
                    p = gsoPacket[r] = new SegmentedDatagramPacket(gso[r], gsoSegment[r], sinks.address(r));
                }
                p.retain();
                channel.write(p, channel.voidPromise());
            }
        }
        if (mode != Mode.SINGLE) channel.flush();
        for (int i = 0; i < touchedCount; i++) gso[touched[i]].clear();
        touchedCount = 0;
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out != null && !out.isEmpty()) {
            // The socket buffer was full (the packet loop would have to wait for EPOLLOUT, and a reused slot must
            // not be overwritten meanwhile): counted, never seen on loopback.
            dropped += out.size();
        }
    }

    @Override
    public <T> T onSendThread(Callable<T> task) throws Exception {
        return channel.eventLoop().submit(task).get();
    }

    @Override
    public long dropped() {
        return dropped;
    }

    @Override
    public void close() throws Exception {
        channel.close().sync();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
