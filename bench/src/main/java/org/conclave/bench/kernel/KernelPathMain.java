package org.conclave.bench.kernel;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.conclave.bench.MachineInfo;

/**
 * The kernel path (issue 14): what the SFU's send pattern costs through java.nio one datagram at a time (today),
 * Netty's native epoll transport with {@code sendmmsg}, UDP GSO, and one connected socket per receiver. One thread
 * sends to K loopback sockets drained by another; each variant runs in turn, several rounds, in one process.
 * Writes a Markdown table per pattern (median and spread of the rounds) to stdout and to {@code --out}.
 *
 * <p>Usage: {@code KernelPathMain [--patterns fanout:10:1,fanout:10:8,burst:10:8] [--bytes 1100] [--seconds 1.5]
 * [--warmup-ms 300] [--rounds 5] [--variants nio-heap,...] [--sink-address IP] [--out file]}
 */
public final class KernelPathMain {
    static final List<String> VARIANTS = List.of("nio-heap", "nio-direct", "nio-connected", "netty-single",
            "netty-mmsg", "netty-mmsg-alloc", "netty-gso");

    public static void main(String[] args) throws Exception {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled"); // as a production packet path would run
        }
        Map<String, String> o = options(args);
        List<Pattern> patterns = Arrays.stream(o.getOrDefault("patterns", "fanout:10:1,fanout:10:8,burst:10:8")
                .split(",")).map(Pattern::parse).toList();
        int bytes = Integer.parseInt(o.getOrDefault("bytes", "1100"));
        long runNanos = (long) (Double.parseDouble(o.getOrDefault("seconds", "1.5")) * 1e9);
        long warmNanos = Long.parseLong(o.getOrDefault("warmup-ms", "300")) * 1_000_000L;
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
        InetAddress sinkAddress = o.containsKey("sink-address") ? InetAddress.getByName(o.get("sink-address")) : null;
        List<String> variants = Arrays.asList(o.getOrDefault("variants", String.join(",", VARIANTS)).split(","));
        for (String v : variants) {
            if (!VARIANTS.contains(v)) throw new IllegalArgumentException("unknown variant " + v + ": " + VARIANTS);
        }

        boolean epoll = Epoll.isAvailable();
        boolean gso = epoll && NettySender.gsoSupported();
        StringBuilder out = new StringBuilder(header(bytes, sinkAddress, rounds, runNanos, warmNanos, epoll, gso));
        System.out.print(out);
        for (Pattern p : patterns) {
            String table = runPattern(p, sinkAddress, variants, epoll, gso, bytes, warmNanos, runNanos, rounds);
            System.out.print(table);
            out.append(table);
        }
        String end = String.format("load average %.2f at the end%n", MachineInfo.loadAverage());
        System.out.print(end);
        if (o.containsKey("out")) Files.writeString(Path.of(o.get("out")), out + end);
    }

    private static String header(int bytes, InetAddress sinkAddress, int rounds, long runNanos, long warmNanos,
            boolean epoll, boolean gso) {
        MachineInfo m = MachineInfo.collect("-");
        String to = sinkAddress == null ? "to loopback sockets drained by one thread"
                : "to " + sinkAddress.getHostAddress() + ", dropped at the device queue";
        String netty = epoll ? "available" : "unavailable (" + Epoll.unavailabilityCause() + ")";
        return String.format("%s, %d CPUs (%s), kernel %s, %s; %d-byte datagrams %s; %d rounds of %.1f s per variant"
                        + " (after a %d ms warm-up each and one unrecorded round); Netty epoll %s, UDP GSO %s;"
                        + " load average %.2f at the start%n%n", m.date(), m.cpus(), m.cpuModel(), m.kernel(), m.jdk(),
                bytes, to, rounds, runNanos / 1e9, warmNanos / 1_000_000, netty, gso ? "supported" : "unsupported",
                MachineInfo.loadAverage());
    }

    private static String runPattern(Pattern p, InetAddress sinkAddress, List<String> variants, boolean epoll,
            boolean gso, int bytes, long warmNanos, long runNanos, int rounds) throws Exception {
        try (Sinks sinks = sinkAddress == null ? new Sinks(p.receivers()) : Sinks.remote(sinkAddress, p.receivers())) {
            List<Sender> senders = new ArrayList<>();
            for (String v : variants) {
                Sender s = open(v, sinks, p, epoll, gso);
                if (s != null) senders.add(s);
            }
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (Sender s : senders) samples.put(s.name(), new ArrayList<>());
            for (int round = -1; round < rounds; round++) {
                for (int i = 0; i < senders.size(); i++) {
                    Sender s = senders.get(Math.floorMod(i + round, senders.size())); // rotate the order per round
                    Sample x = s.onSendThread(() -> Sample.measure(s, p, sinks, bytes, warmNanos, runNanos));
                    if (round >= 0) samples.get(s.name()).add(x);
                }
            }
            for (Sender s : senders) s.close();
            return table(p, samples);
        }
    }

    private static Sender open(String v, Sinks sinks, Pattern p, boolean epoll, boolean gso) throws Exception {
        if (v.startsWith("netty") && !epoll) return null;
        return switch (v) {
            case "nio-heap" -> new NioSender(NioSender.Mode.HEAP, sinks);
            case "nio-direct" -> new NioSender(NioSender.Mode.DIRECT, sinks);
            case "nio-connected" -> new NioSender(NioSender.Mode.CONNECTED, sinks);
            case "netty-single" -> new NettySender(NettySender.Mode.SINGLE, sinks, 1);
            case "netty-mmsg" -> new NettySender(NettySender.Mode.MMSG, sinks, p.n());
            case "netty-mmsg-alloc" -> new NettySender(NettySender.Mode.MMSG_ALLOC, sinks, 0);
            // GSO joins datagrams to one receiver: only bursts have them
            default -> gso && !p.fanout() ? new NettySender(NettySender.Mode.GSO, sinks, 0) : null;
        };
    }

    static String table(Pattern p, Map<String, List<Sample>> samples) {
        StringBuilder b = new StringBuilder();
        b.append("**").append(p).append("** (").append(p.describe()).append(")\n\n");
        b.append("| variant | datagrams/s | sender thread CPU µs/datagram | vs nio-heap | process CPU µs/datagram"
                + " | allocated B/datagram | delivered | not sent |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Sample> base = samples.get("nio-heap");
        double baseCpu = base == null ? Double.NaN : median(base, Sample::threadUsPerPacket);
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            double delivered = median(s, Sample::delivered);
            b.append(String.format("| %s | %s | %s | %.2fx | %s | %.1f | %s | %d |%n", e.getKey(),
                    spread(s, Sample::pps, "%,.0f"), spread(s, Sample::threadUsPerPacket, "%.2f"),
                    median(s, Sample::threadUsPerPacket) / baseCpu, spread(s, Sample::processUsPerPacket, "%.2f"),
                    median(s, Sample::allocatedBytesPerPacket),
                    Double.isNaN(delivered) ? "–" : String.format("%.1f%%", 100 * delivered),
                    s.stream().mapToLong(Sample::dropped).sum()));
        }
        return b.append('\n').toString();
    }

    /** Median, and the smallest and largest of the rounds. */
    static String spread(List<Sample> s, ToDoubleFunction<Sample> f, String fmt) {
        double[] v = s.stream().mapToDouble(f).sorted().toArray();
        return String.format(fmt + " (" + fmt + "–" + fmt + ")", median(s, f), v[0], v[v.length - 1]);
    }

    static double median(List<Sample> s, ToDoubleFunction<Sample> f) {
        double[] v = s.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Map<String, String> options(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --name value ...; got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }
}
