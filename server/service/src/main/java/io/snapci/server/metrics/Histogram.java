package io.snapci.server.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Prometheus histogram with one series per value of one label (or a single series): cumulative buckets, sum and
 * count. Thread-safe.
 */
final class Histogram {

    private final String name;
    private final String labelName;
    private final double[] bounds;
    private final Map<String, Series> series = new TreeMap<>();

    private static final class Series {
        final long[] counts;
        double sum;
        long count;

        Series(int buckets) {
            counts = new long[buckets];
        }
    }

    /** @param labelName the label that tells series apart, or null for one unlabelled series */
    Histogram(String name, String labelName, double... bounds) {
        this.name = name;
        this.labelName = labelName;
        this.bounds = bounds.clone();
    }

    synchronized void observe(String labelValue, double value) {
        Series s = series.computeIfAbsent(labelValue == null ? "" : labelValue, v -> new Series(bounds.length));
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                s.counts[i]++;
            }
        }
        s.sum += value;
        s.count++;
    }

    synchronized void writeTo(PrometheusText text) {
        for (Map.Entry<String, Series> entry : series.entrySet()) {
            Series s = entry.getValue();
            for (int i = 0; i < bounds.length; i++) {
                text.sample(name + "_bucket", labels(entry.getKey(), PrometheusText.format(bounds[i])), s.counts[i]);
            }
            text.sample(name + "_bucket", labels(entry.getKey(), "+Inf"), s.count);
            text.sample(name + "_sum", labels(entry.getKey(), null), s.sum);
            text.sample(name + "_count", labels(entry.getKey(), null), s.count);
        }
    }

    private Map<String, String> labels(String labelValue, String le) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (labelName != null) {
            labels.put(labelName, labelValue);
        }
        if (le != null) {
            labels.put("le", le);
        }
        return labels;
    }
}
