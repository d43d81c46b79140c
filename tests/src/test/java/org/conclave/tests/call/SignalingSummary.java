package org.conclave.tests.call;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SFU's offer/answer counts for one endpoint, from its last log line ("endpoint … closed (…): … (3 offers (1 made
 * again), 0 glares, 0 answers refused)", ConferenceService at INFO).
 */
record SignalingSummary(long offers, long madeAgain, long glares, long answersRefused) {
    private static final Pattern COUNTS = Pattern.compile("\\((\\d+) offers \\((\\d+) made again\\), (\\d+) glares,"
            + " (\\d+) answers refused\\)");

    /** One per endpoint closed in these ConferenceService lines; fails on a closing line without the counts. */
    static List<SignalingSummary> of(List<String> sfuLines) {
        List<SignalingSummary> summaries = new ArrayList<>();
        for (String line : sfuLines) {
            if (!line.contains(" closed (")) continue;
            Matcher m = COUNTS.matcher(line);
            if (!m.find()) throw new AssertionError("no offer/answer counts in: " + line);
            summaries.add(new SignalingSummary(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
        }
        return summaries;
    }

    /** The sum over endpoints. */
    static SignalingSummary total(List<SignalingSummary> summaries) {
        return summaries.stream().reduce(new SignalingSummary(0, 0, 0, 0), (a, b) -> new SignalingSummary(
                a.offers + b.offers, a.madeAgain + b.madeAgain, a.glares + b.glares, a.answersRefused
                + b.answersRefused));
    }
}
