package com.mediapipeline.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The latencies of one measure, in nanoseconds, and the rate it achieved (0 where a rate means nothing). */
record Latencies(List<Long> nanos, double perSecond) {

    /** Every run's samples together, and the median of the runs' rates. */
    static Latencies pooled(List<Latencies> runs) {
        return new Latencies(runs.stream().flatMap(run -> run.nanos().stream()).toList(),
                Rates.median(runs.stream().map(Latencies::perSecond).toList()));
    }

    /** The nearest-rank percentile, in milliseconds; NaN without samples. */
    double percentileMillis(double p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1)) / 1e6;
    }
}
