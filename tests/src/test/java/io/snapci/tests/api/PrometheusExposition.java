package io.snapci.tests.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), written from the format's description: HELP and
 * TYPE lines, samples {@code name{label="value",...} value}, escaped label values, histograms whose buckets are
 * cumulative and end at {@code le="+Inf"} equal to {@code _count}. Throws on anything else.
 */
final class PrometheusExposition {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"(,|$)");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    final Map<String, String> types = new LinkedHashMap<>();
    final List<Sample> samples = new ArrayList<>();

    static PrometheusExposition parse(String text) {
        PrometheusExposition exposition = new PrometheusExposition();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if (line.startsWith("# HELP ")) {
                require(HELP.matcher(line).matches(), lineNo, line);
            } else if ((m = TYPE.matcher(line)).matches()) {
                require(exposition.types.put(m.group(1), m.group(2)) == null, lineNo, "TYPE twice: " + line);
            } else if (line.startsWith("#")) {
                throw new AssertionError("line " + lineNo + ": unexpected comment: " + line);
            } else {
                m = SAMPLE.matcher(line);
                require(m.matches(), lineNo, line);
                exposition.samples.add(new Sample(m.group(1), labels(m.group(3), lineNo), value(m.group(4), lineNo)));
            }
        }
        exposition.checkFamilies();
        return exposition;
    }

    private static Map<String, String> labels(String text, int lineNo) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int end = 0;
        while (m.find() && m.start() == end) {
            labels.put(m.group(1), m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
            end = m.end();
        }
        require(end == text.length(), lineNo, "bad labels: " + text);
        return labels;
    }

    private static double value(String text, int lineNo) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + lineNo + ": not a value: " + text);
                }
        }
    }

    /** Every sample belongs to a declared family; histogram series are cumulative and consistent. */
    private void checkFamilies() {
        Map<String, List<Sample>> buckets = new HashMap<>();
        Map<String, Double> counts = new HashMap<>();
        for (Sample s : samples) {
            String family = familyOf(s.name());
            if (!types.containsKey(family)) {
                throw new AssertionError("sample of undeclared family: " + s);
            }
            if ("histogram".equals(types.get(family))) {
                Map<String, String> series = new LinkedHashMap<>(s.labels());
                series.remove("le");
                String key = family + series;
                if (s.name().endsWith("_bucket")) {
                    buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                } else if (s.name().endsWith("_count")) {
                    counts.put(key, s.value());
                }
            }
        }
        buckets.forEach((key, list) -> {
            double previous = 0;
            for (Sample b : list) {
                if (b.value() < previous) {
                    throw new AssertionError("buckets not cumulative in " + key + ": " + list);
                }
                previous = b.value();
            }
            Sample last = list.get(list.size() - 1);
            if (!"+Inf".equals(last.labels().get("le")) || last.value() != counts.getOrDefault(key, -1.0)) {
                throw new AssertionError("histogram " + key + " does not end at +Inf == _count");
            }
        });
    }

    private String familyOf(String sampleName) {
        for (String suffix : new String[]{"_bucket", "_sum", "_count"}) {
            String base = sampleName.endsWith(suffix) ? sampleName.substring(0, sampleName.length() - suffix.length())
                    : null;
            if (base != null && "histogram".equals(types.get(base))) {
                return base;
            }
        }
        return sampleName;
    }

    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .map(Sample::value).orElseThrow(() -> new AssertionError("no sample " + name + labels));
    }

    private static void require(boolean ok, int lineNo, String line) {
        if (!ok) {
            throw new AssertionError("line " + lineNo + " is not in the exposition format: " + line);
        }
    }
}
