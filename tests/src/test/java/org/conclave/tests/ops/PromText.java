package org.conclave.tests.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape in Prometheus' text format: sample lines by {@code name{labels}} (labels as printed). */
public record PromText(Map<String, Double> samples, String text) {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)");

    public static PromText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (m.find()) samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        return new PromText(samples, text);
    }

    /** The sample's value; fails naming what the scrape had when it is missing. */
    public double value(String name) {
        Double v = samples.get(name);
        if (v == null) {
            String family = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
            throw new AssertionError("no sample " + name + "; samples of " + family + ": " + samples.entrySet()
                    .stream().filter(e -> e.getKey().startsWith(family)).toList());
        }
        return v;
    }

    /** The sum of every sample of one metric family (all label sets). */
    public double sum(String family) {
        return samples.entrySet().stream().filter(e -> e.getKey().equals(family) || e.getKey().startsWith(family + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
