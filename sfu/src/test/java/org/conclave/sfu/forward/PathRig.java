package org.conclave.sfu.forward;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import org.conclave.sfu.clock.FakeClock;
import org.conclave.sfu.codec.CodecId;
import org.conclave.sfu.codec.MediaKind;
import org.conclave.sfu.config.RateControlConfig;
import org.conclave.sfu.control.FailureReason;
import org.conclave.sfu.control.VideoQuality;
import org.conclave.sfu.ice.IceCredentials;
import org.conclave.sfu.ice.IceLiteAgent;
import org.conclave.sfu.ice.StunMessages;
import org.conclave.sfu.rtp.RtpPacket;
import org.conclave.sfu.srtp.SrtpKeys;
import org.conclave.sfu.srtp.SrtpProfile;
import org.conclave.sfu.srtp.SrtpSession;

/**
 * One {@link PacketPath} without a socket: datagrams go in through {@link #deliver}, what the path sends is kept by a
 * fake {@link PacketIo}, time is a {@link FakeClock}. {@link Client}s play the far ends: ICE checks, SRTP both ways.
 */
final class PathRig {
    static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;

    final FakeClock clock = new FakeClock();
    final List<Datagram> sent = new ArrayList<>();
    final List<String> iceFailures = new ArrayList<>();
    final WorkerStats stats = new WorkerStats();
    final byte[] rx = new byte[2048];
    final PacketIo io = new PacketIo() {
        private final byte[] tx = new byte[2048];

        @Override
        public byte[] tx() {
            return tx;
        }

        @Override
        public void send(int len, InetSocketAddress to) {
            sent.add(new Datagram(to, Arrays.copyOf(tx, len)));
        }
    };
    final PacketPath path = new PacketPath(io, stats, new MediaWorker.Listener() {
        @Override
        public void onIceFailed(String endpointId, FailureReason reason, String detail) {
            iceFailures.add(endpointId + " " + reason);
        }
    }, RateControlConfig.defaults(), new Pipes(null, stats), clock.nanoTime());
    private int clients;

    record Datagram(InetSocketAddress to, byte[] bytes) {}

    Client client(String id) {
        return new Client(id, ++clients);
    }

    /** Hands the path one datagram, as the packet thread does. */
    void deliver(InetSocketAddress from, byte[] datagram) {
        System.arraycopy(datagram, 0, rx, 0, datagram.length);
        path.onDatagram(from, rx, datagram.length, clock.nanoTime());
    }

    /** Runs the timers as the loop does between packets. */
    void tick(long millis) {
        clock.advanceMillis(millis);
        path.housekeeping.run(clock.nanoTime());
    }

    static Source audio(String endpointId, String mid, long outSsrc, long declaredSsrc) {
        return new Source(endpointId, "@" + endpointId, mid, MediaKind.AUDIO, 48_000, outSsrc, "s-" + endpointId,
                "a-" + endpointId, "c", Map.of(111, CodecId.opus()), Map.of(), new long[] {declaredSsrc});
    }

    static Source video(String endpointId, String mid, long outSsrc, long declaredSsrc) {
        return new Source(endpointId, "@" + endpointId, mid, MediaKind.VIDEO, 90_000, outSsrc, "s-" + endpointId,
                "v-" + endpointId, "c", Map.of(96, CodecId.vp8()), Map.of(), new long[] {declaredSsrc}, List.of(),
                new long[0], Map.of(), Map.of(), true, false, 0);
    }

    /** A downlink that takes opus as 109 and VP8 as 100, no extensions, NACK as asked. */
    static Downlink downlink(boolean nack) {
        return new Downlink(Map.of(CodecId.opus(), 109, CodecId.vp8(), 100), Map.of(), Map.of(), nack);
    }

    /** One far end: its address, ICE credentials and the SRTP session of the client side. */
    final class Client {
        final String id;
        InetSocketAddress address;
        final IceCredentials sfuCredentials = IceCredentials.random();
        final EndpointMedia media;
        final SrtpSession srtp;
        private final Mac mac;

        Client(String id, int n) {
            this.id = id;
            try {
                this.address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) n}), 5000 + n);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
            IceLiteAgent ice = new IceLiteAgent(sfuCredentials, clock, Duration.ofSeconds(10), Duration.ofSeconds(30));
            this.media = new EndpointMedia(id, "conf", sfuCredentials.ufrag(), ice, 0x1000 + n);
            byte[] key = new byte[PROFILE.keyLength()];
            byte[] salt = new byte[PROFILE.saltLength()];
            Arrays.fill(key, (byte) n);
            Arrays.fill(salt, (byte) (n + 100));
            SrtpKeys keys = new SrtpKeys(key, key.clone(), salt, salt.clone());
            this.srtp = new SrtpSession(PROFILE, keys, false);
            this.mac = StunMessages.integrityMac(sfuCredentials.pwd());
            path.endpoints.add(media);
            media.srtp = new SrtpSession(PROFILE, keys, true);
        }

        /** An authenticated, nominating ICE check from this client's address. */
        void check() {
            check(address);
        }

        void check(InetSocketAddress from) {
            check(from, true);
        }

        void check(InetSocketAddress from, boolean nominate) {
            byte[] b = new byte[256];
            int n = StunMessages.writeBindingRequest(b, 0, new byte[12], 0, sfuCredentials.ufrag() + ":cli",
                    0x6e7f00ffL, 42, nominate, mac);
            deliver(from, Arrays.copyOf(b, n));
        }

        void publish(Source... sources) {
            publish(0, sources);
        }

        /** Publishes with the MID header extension negotiated as {@code midExtensionId} (BUNDLE demux by MID). */
        void publish(int midExtensionId, Source... sources) {
            path.subscriptions.setUpstream(media, List.of(sources), midExtensionId, clock.nanoTime());
        }

        /** Leaves for good, as {@link MediaWorker#removeEndpoint} does on the packet thread. */
        void leave() {
            EndpointMedia ep = path.endpoints.remove(id);
            ep.failed = true;
            path.subscriptions.removeAll(ep);
        }

        void unsubscribe(Source source) {
            path.subscriptions.unsubscribe(media, source);
        }

        void subscribe(Source source, boolean nack) {
            path.subscriptions.subscribe(media, source, downlink(nack), VideoQuality.THUMBNAIL, clock.nanoTime());
        }

        /** Sends an RTP packet: 12-byte header, then {@code payload}. */
        void sendRtp(int ssrc, int pt, int seq, long ts, byte... payload) {
            sendRtp(ssrc, pt, seq, ts, new byte[0], payload);
        }

        /**
         * Sends an RTP packet with a one-byte-header extension block of {@code elements} (each: id << 4 | length - 1,
         * then its data; padded here to whole words), then {@code payload}.
         */
        void sendRtp(int ssrc, int pt, int seq, long ts, byte[] elements, byte... payload) {
            int words = (elements.length + 3) / 4;
            int header = 12 + (words == 0 ? 0 : 4 + 4 * words);
            byte[] b = new byte[header + payload.length + 64];
            b[0] = (byte) (words == 0 ? 0x80 : 0x90);
            RtpPacket.setPayloadType(b, 0, pt);
            RtpPacket.setSequence(b, 0, seq);
            RtpPacket.setTimestamp(b, 0, ts);
            RtpPacket.setSsrc(b, 0, ssrc);
            if (words > 0) {
                b[12] = (byte) 0xBE;
                b[13] = (byte) 0xDE;
                b[15] = (byte) words;
                System.arraycopy(elements, 0, b, 16, elements.length);
            }
            System.arraycopy(payload, 0, b, header, payload.length);
            int n = srtp.protectRtp(b, 0, header + payload.length);
            deliver(address, Arrays.copyOf(b, n));
        }

        /** Sends an RTCP compound (plain; protected here). */
        void sendRtcp(byte[] compound, int len) {
            byte[] b = Arrays.copyOf(compound, len + 64);
            int n = srtp.protectRtcp(b, 0, len);
            deliver(address, Arrays.copyOf(b, n));
        }

        private final List<byte[]> rtp = new ArrayList<>();
        private final List<byte[]> rtcp = new ArrayList<>();
        private int read;

        /** RTP packets the path sent to this client so far, decrypted (each datagram once: SRTP refuses replays). */
        List<byte[]> rtp() {
            readNew();
            return rtp;
        }

        /** RTCP compounds the path sent to this client so far, decrypted. */
        List<byte[]> rtcp() {
            readNew();
            return rtcp;
        }

        private void readNew() {
            for (; read < sent.size(); read++) {
                Datagram d = sent.get(read);
                if (!d.to().equals(address) || (d.bytes()[0] & 0xC0) != 0x80) continue;
                byte[] b = d.bytes().clone();
                if (RtpPacket.isRtcp(b, 0, b.length)) {
                    int n = srtp.unprotectRtcp(b, 0, b.length);
                    if (n > 0) rtcp.add(Arrays.copyOf(b, n));
                } else {
                    int n = srtp.unprotectRtp(b, 0, b.length);
                    if (n > 0) rtp.add(Arrays.copyOf(b, n));
                }
            }
        }
    }
}
