package org.conclave.tests.ops;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.conclave.appservice.txn.TransactionTiming;
import org.conclave.tests.homeserver.AppservicePusher.Delivery;

/**
 * The homeserver double's view of the appservice's acknowledgements: how long each transaction took from request to
 * answer, and where the appservice says that time went (its {@code Server-Timing} header: read, parse, queue,
 * hand_over, wait, record), and the rest: the request's way to the appservice, the 200 written and its way back.
 */
final class Acks {
    private Acks() {}

    /**
     * {@code 1234 ms (9 events, 0 to-device: read 0.1, parse 0.3, ..., record 4.0; rest 12.3 = to 5.0 + respond 1.3
     * + back 6.0)}: the rest is the request's way to the appservice's router ({@code to}), the 200 written
     * ({@code respond}) and its way back to the double's client ({@code back}), split when the appservice's own
     * timing of it is in {@code answered} (same JVM, same clock).
     */
    static String of(Delivery d, Map<String, TransactionTiming> answered) {
        StringBuilder out = new StringBuilder().append(ms(d.nanos())).append(" ms (").append(d.eventIds().size())
                .append(" events, ").append(d.toDevice().size()).append(" to-device");
        if (d.serverTiming() == null) return out.append(", no Server-Timing)").toString();
        double server = 0;
        String sep = ": ";
        for (String phase : d.serverTiming().split(",\\s*")) {
            int dur = phase.indexOf(";dur=");
            if (dur < 0) continue;
            double value = Double.parseDouble(phase.substring(dur + 5));
            server += value;
            out.append(sep).append(phase, 0, dur).append(' ').append(String.format(Locale.ROOT, "%.1f", value));
            sep = ", ";
        }
        out.append("; rest ").append(String.format(Locale.ROOT, "%.1f", d.nanos() / 1e6 - server));
        TransactionTiming t = answered.get(d.txnId());
        if (t != null && d.status() == 200) {
            long written = t.arrived() + t.total();
            out.append(String.format(Locale.ROOT, " = to %.1f + respond %.1f + back %.1f",
                    (t.arrived() - d.sentNanos()) / 1e6, t.nanos(TransactionTiming.Phase.RESPOND) / 1e6,
                    (d.answeredNanos() - written) / 1e6));
        }
        return out.append(')').toString();
    }

    /** Count, median and slowest of the acknowledged (200) deliveries, the slowest broken down. */
    static String summary(List<Delivery> all, Map<String, TransactionTiming> answered) {
        List<Delivery> ok = all.stream().filter(d -> d.status() == 200)
                .sorted(Comparator.comparingLong(Delivery::nanos)).toList();
        if (ok.isEmpty()) return "no transaction acknowledged";
        return String.format("%d transactions acknowledged, p50 %d ms, the slowest %s", ok.size(),
                ms(ok.get(ok.size() / 2).nanos()), of(ok.get(ok.size() - 1), answered));
    }

    /**
     * The appservice's own phase histogram ({@code conclave_appservice_transaction_phase_seconds}): per phase its
     * mean and its max over the last two minutes, ms; {@code respond} is the one the header cannot carry.
     */
    static String phases(PromText m) {
        StringBuilder out = new StringBuilder("appservice phases mean/max ms:");
        for (TransactionTiming.Phase p : TransactionTiming.Phase.values()) {
            String phase = p.label();
            double count = sample(m, "_count", phase);
            double mean = count == 0 ? 0 : sample(m, "_sum", phase) / count * 1000;
            out.append(String.format(Locale.ROOT, " %s %.1f/%.1f", phase, mean, sample(m, "_max", phase) * 1000));
        }
        return out.toString();
    }

    private static double sample(PromText m, String suffix, String phase) {
        String family = "conclave_appservice_transaction_phase_seconds" + suffix + "{";
        return m.samples().entrySet().stream()
                .filter(e -> e.getKey().startsWith(family) && e.getKey().contains("phase=\"" + phase + "\""))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
