package org.conclave.tests.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reads peer reports and answers the questions tests ask of them. */
public final class Stats {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Stats() {}

    /** Parses one report line; {@link IllegalArgumentException} when it is not a report object. */
    public static PeerReport parse(String jsonLine) {
        try {
            if (!JSON.readTree(jsonLine).isObject()) throw new IllegalArgumentException("not a JSON object");
            return JSON.readValue(jsonLine, PeerReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** The peers of several reports (one per process) as one list. */
    public static List<PeerStats> peers(PeerReport... reports) {
        List<PeerStats> all = new ArrayList<>();
        Arrays.stream(reports).forEach(r -> all.addAll(r.peers()));
        return all;
    }

    /** The participant's stats; {@link IllegalArgumentException} naming those present if absent. */
    public static PeerStats peer(PeerReport report, String participant) {
        return report.peers().stream()
                .filter(p -> participant.equals(p.participant()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no participant " + participant + " in " + describe(report)));
    }

    /** The inbound tracks of one kind ("audio" or "video"). */
    public static List<InboundRtp> inbound(PeerStats peer, String kind) {
        return peer.inbound().stream().filter(i -> kind.equals(i.kind())).toList();
    }

    /** The outbound streams of one kind ("audio" or "video"). */
    public static List<OutboundRtp> outbound(PeerStats peer, String kind) {
        return peer.outbound().stream().filter(o -> kind.equals(o.kind())).toList();
    }

    /** Video tracks that decoded at least {@code minFrames} frames. */
    public static List<InboundRtp> decodingVideo(PeerStats peer, long minFrames) {
        return inbound(peer, "video").stream().filter(i -> i.framesDecoded() >= minFrames).toList();
    }

    /** Audio tracks that received at least {@code minPackets} packets. */
    public static List<InboundRtp> receivingAudio(PeerStats peer, long minPackets) {
        return inbound(peer, "audio").stream().filter(i -> i.packetsReceived() >= minPackets).toList();
    }

    public static long totalFramesDecoded(PeerStats peer) {
        return peer.inbound().stream().mapToLong(InboundRtp::framesDecoded).sum();
    }

    public static long totalPacketsSent(PeerStats peer, String kind) {
        return outbound(peer, kind).stream().mapToLong(OutboundRtp::packetsSent).sum();
    }

    /** Frames whose payload trailer was missing or did not match, over all inbound tracks ({@code --payload-check}). */
    public static long totalFramesCorrupt(PeerStats peer) {
        return peer.inbound().stream().mapToLong(InboundRtp::framesCorrupt).sum();
    }

    public static long totalFramesChecked(PeerStats peer) {
        return peer.inbound().stream().mapToLong(InboundRtp::framesChecked).sum();
    }

    /** A compact multi-line summary for assertion messages. */
    public static String describe(PeerReport report) {
        String head = "exit " + report.exitCode() + (report.error() == null ? "" : ", error: " + report.error());
        return report.peers().stream().map(Stats::describe).collect(Collectors.joining("\n", head + "\n", ""));
    }

    public static String describe(PeerStats p) {
        StringBuilder b = new StringBuilder()
                .append(p.participant()).append(" [").append(p.connectionState()).append(", events ").append(p.events());
        if (p.failure() != null) b.append(", failure ").append(p.failure());
        if (p.error() != null) b.append(", error ").append(p.error());
        b.append(']');
        for (InboundRtp i : p.inbound()) {
            b.append("\n  in  ").append(i.kind()).append(" ssrc=").append(i.ssrc()).append(" mid=").append(i.mid())
                    .append(" stream=").append(i.streamId()).append(" pkts=").append(i.packetsReceived())
                    .append(" frames=").append(i.framesDecoded());
            if (i.isVideo()) b.append(' ').append(i.frameWidth()).append('x').append(i.frameHeight());
            if (i.isAudio()) b.append(" samples=").append(i.totalSamplesReceived());
            if (i.framesChecked() + i.framesCorrupt() > 0) {
                b.append(" checked=").append(i.framesChecked()).append(" corrupt=").append(i.framesCorrupt());
            }
        }
        for (OutboundRtp o : p.outbound()) {
            b.append("\n  out ").append(o.kind()).append(o.rid() == null ? "" : " rid=" + o.rid())
                    .append(" ssrc=").append(o.ssrc()).append(" pkts=").append(o.packetsSent());
        }
        return b.toString();
    }
}
