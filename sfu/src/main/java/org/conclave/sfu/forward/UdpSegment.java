package org.conclave.sfu.forward;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code UDP_SEGMENT} socket option (Linux 4.18+, UDP GSO) of a JDK {@link DatagramChannel}'s socket: while it
 * is n, a send of more than n bytes leaves as datagrams of n bytes (the last may be shorter), one pass through the
 * kernel's UDP/IP stack for all of them; a send of at most n bytes is one plain datagram. The JDK has no such option,
 * so it is set through Netty's native transport (its {@code setsockopt}; no JNI of our own) on the channel's file
 * descriptor, which the JDK does not expose: it is found once in /proc (the socket's inode, by its local port).
 * Packet thread only; the JDK keeps owning and closing the socket.
 */
final class UdpSegment {
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;

    private final Socket socket;
    private int size;

    private UdpSegment(Socket socket) {
        this.socket = socket;
    }

    /** @throws IOException when UDP GSO cannot be used here (not Linux, no native transport, an old kernel) */
    static UdpSegment of(DatagramChannel channel) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's native epoll transport is not available: " + Epoll.unavailabilityCause());
        }
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        Socket socket = new Socket(fileDescriptor(local.getPort()));
        if (socket.localAddress() == null || socket.localAddress().getPort() != local.getPort()) {
            throw new IOException("the descriptor found for UDP port " + local.getPort() + " is another socket");
        }
        UdpSegment s = new UdpSegment(socket);
        s.set(0); // fails here, not on the first send, on a kernel without UDP_SEGMENT
        return s;
    }

    /** The current segment size; 0: off. */
    int size() {
        return size;
    }

    void set(int bytes) throws IOException {
        socket.setIntOpt(SOL_UDP, UDP_SEGMENT, bytes);
        size = bytes;
    }

    /** This process's descriptor of the one UDP socket bound to {@code port} (in this network namespace). */
    private static int fileDescriptor(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/self/net/udp", "/proc/self/net/udp6")) {
            Path p = Path.of(table);
            if (!Files.isReadable(p)) continue;
            List<String> lines = Files.readAllLines(p);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String local = f[1];
                if (Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == port) inodes.add(f[9]);
            }
        }
        List<Integer> found = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String link;
                try {
                    link = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
                    found.add(Integer.parseInt(fd.getFileName().toString()));
                }
            }
        }
        if (found.size() != 1) {
            throw new IOException("expected one UDP socket on port " + port + " in /proc/self/fd, found " + found.size());
        }
        return found.get(0);
    }
}
