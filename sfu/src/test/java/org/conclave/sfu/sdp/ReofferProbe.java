package org.conclave.sfu.sdp;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: times the SDP work one join costs the control thread in a conference of N = 10, 50, 100 members, all
 * connected with audio and video (Chromium's offer, {@code chromium-offer.sdp}), docs/reliability.md, issue #16. Per
 * join: the joiner's answer (parse its offer, build, write), then for every member already there the re-offer with
 * the joiner's two new m-lines (build from its last exchange, write as text) and the member's answer to it (parse,
 * check, keep as the new exchange) — what {@code Negotiation.answer}, {@code reoffer}, {@code Offer.sdp} and
 * {@code acceptAnswer} do on the control thread. The answers are made beforehand (not timed). "before": the members'
 * offers and answers summarized by {@link ReferenceSummarizer} (as before issue #16), "after": by today's, on the same
 * conference in one run. Also the bytes of SDP the SFU writes per join (equal both ways, or the probe fails).
 * Run: {@code java -cp <test-classes>:<classes>:<deps> org.conclave.sfu.sdp.ReofferProbe [reps [N,N...]]}.
 */
public final class ReofferProbe {
    private static final int[] SIZES = {10, 50, 100};
    /** Re-offers made before timing: enough for the JIT whatever N comes first. */
    private static final int WARM_UP_MEMBERS = 500;
    /** CPU time of this thread, not wall time: the machine is shared, and the control thread's cost is CPU. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /**
     * Limits an operator must raise for such conferences: with the defaults (64 m-sections, 128 KiB) a member's
     * answer is refused from about 31 members on.
     */
    static final SdpLimits LARGE = new SdpLimits(16 << 20, 1024, SdpLimits.DEFAULT_MAX_ATTRIBUTES_PER_SECTION);

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] sizes = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray() : SIZES;
        for (int n : sizes) {
            Join j = new Join(n);
            double[] before = new double[reps];
            double[] after = new double[reps];
            long bytesBefore = 0;
            long bytesAfter = 0;
            for (int r = -Math.max(3, WARM_UP_MEMBERS / n); r < reps; r++) {
                long start = CPU.getCurrentThreadCpuTime();
                bytesBefore = j.run(true);
                if (r >= 0) before[r] = (CPU.getCurrentThreadCpuTime() - start) / 1e6;
                start = CPU.getCurrentThreadCpuTime();
                bytesAfter = j.run(false);
                if (r >= 0) after[r] = (CPU.getCurrentThreadCpuTime() - start) / 1e6;
            }
            if (bytesBefore != bytesAfter) throw new AssertionError("before and after wrote different SDP");
            System.out.printf("N=%3d  CPU per join: before %8.2f ms  after %8.2f ms  (medians of %d)  %,d bytes of SDP"
                    + " written%n", n, median(before), median(after), reps, bytesAfter);
        }
    }

    /** A conference of n connected members, each having answered a re-offer of the others' audio and video. */
    static final class Join {
        final List<NegotiationState> members = new ArrayList<>();
        final List<List<OutgoingSource>> after = new ArrayList<>();
        final List<String> answers = new ArrayList<>();
        final String joinerOffer = Fixtures.text("chromium-offer.sdp");
        final List<OutgoingSource> everyone;

        Join(int n) {
            everyone = sources(n, n + 1);
            for (int m = 0; m < n; m++) {
                NegotiationState s = AnswerBuilder.build(SdpParser.parse(joinerOffer), Fixtures.LOCAL).state();
                Offer first = OfferBuilder.build(s, Fixtures.LOCAL, sources(m, n));
                members.add(OfferBuilder.applyAnswer(first, Fixtures.mirroredAnswer(first)).state());
                List<OutgoingSource> next = sources(m, n + 1);
                after.add(next);
                answers.add(SdpWriter.write(Fixtures.mirroredAnswer(OfferBuilder.build(members.get(m), Fixtures.LOCAL, next))));
            }
        }

        /** One join, with the summary of before issue #16 or today's; returns the bytes of SDP written. */
        long run(boolean reference) {
            long bytes = AnswerBuilder.build(SdpParser.parse(joinerOffer), Fixtures.LOCAL, null, everyone).sdp().length();
            for (int m = 0; m < members.size(); m++) {
                NegotiationState s = members.get(m);
                Offer o = OfferBuilder.build(s, reference ? ReferenceSummarizer.summarize(s) : s.negotiated(),
                        Fixtures.LOCAL, after.get(m));
                bytes += o.sdp().length();
                OfferBuilder.applyAnswer(o, SdpParser.parse(answers.get(m), LARGE),
                        reference ? ReferenceSummarizer::summarize : NegotiationState::negotiated);
            }
            return bytes;
        }
    }

    /** What member {@code self} receives in a conference of {@code n}: everyone else's audio and video. */
    static List<OutgoingSource> sources(int self, int n) {
        List<OutgoingSource> out = new ArrayList<>();
        int line = 0;
        for (int p = 0; p < n; p++) {
            if (p == self) continue;
            out.add(new OutgoingSource("s" + line++, MediaKind.AUDIO, 1000 + 2L * p, null, "stream" + p, "audio" + p,
                    "conclave-e" + p, true));
            out.add(new OutgoingSource("s" + line++, MediaKind.VIDEO, 500_000 + 2L * p, 500_001 + 2L * p, "stream" + p,
                    "video" + p, "conclave-e" + p, true));
        }
        return out;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
