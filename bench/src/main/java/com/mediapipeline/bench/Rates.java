package com.mediapipeline.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The arithmetic every figure shares: elapsed time, MB/s, medians. */
final class Rates {

    private Rates() {
    }

    static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** MB (10⁶ bytes) per second, for {@code bytes} moved since {@code startNanos}. */
    static double mbPerSecond(long bytes, long startNanos) {
        return bytes / 1e6 / secondsSince(startNanos);
    }

    /** The middle value; with an even count the upper of the middle two, as the figures so far were taken. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
