package com.mediapipeline.analytics;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Percentiles without the samples: each value counts in one log-spaced bucket, bucket {@code i} holding
 * [γ^i, γ^(i+1)) with γ = (1 + α) / (1 − α), and a percentile answers its bucket's point 2γ^(i+1) / (γ + 1),
 * which is within α = 2 % of every value in the bucket (DDSketch's bound). Durations from 1 ms to a year
 * span about 600 buckets, of which a business's hour uses a handful. Values below 1 count as 1.
 */
public final class Histogram {

    /** The relative error of a percentile (before its rounding to a whole number). */
    public static final double RELATIVE_ERROR = 0.02;
    private static final double GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private final SortedMap<Integer, Long> counts = new TreeMap<>();
    private long total;

    static int bucket(double value) {
        return (int) Math.floor(Math.log(Math.max(1, value)) / LOG_GAMMA);
    }

    /** The hash field that counts {@code value} in the histogram named {@code name} ("duration_ms:57"). */
    static String field(String name, double value) {
        return name + ":" + bucket(value);
    }

    /** Adds the buckets of histogram {@code name} among a counters hash's fields. */
    void addAll(String name, Map<String, String> fields) {
        String prefix = name + ":";
        fields.forEach((field, count) -> {
            if (field.startsWith(prefix)) {
                add(Integer.parseInt(field.substring(prefix.length())), Long.parseLong(count));
            }
        });
    }

    void add(int bucket, long count) {
        counts.merge(bucket, count, Long::sum);
        total += count;
    }

    /** The nearest-rank percentile ({@code p} in (0, 1]): the value of rank ⌈p·n⌉ of the n counted; 0 if none were. */
    long percentile(double p) {
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : counts.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank && rank > 0) {
                return Math.round(2 * Math.pow(GAMMA, bucket.getKey() + 1) / (GAMMA + 1));
            }
        }
        return 0;
    }
}
