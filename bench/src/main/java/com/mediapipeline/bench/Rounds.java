package com.mediapipeline.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The figures of interleaved measures, round by round. A ratio is the median of the ratios within
 * each round, whose figures were taken seconds apart: the disk's and the loopback's speed drift by
 * 2-3x over minutes on this shared machine, and a ratio of medians would mix those minutes.
 *
 * @param values per measure, its figure of each round
 */
record Rounds(List<List<Double>> values) {

    /** The measures of a throughput scenario, in this order: the physical baseline, the service, the peer. */
    static final int BASELINE = 0;
    static final int OURS = 1;
    static final int PEER = 2;

    double median(int measure) {
        return Rates.median(values.get(measure));
    }

    double ratio(int measure, int base) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < values.get(measure).size(); i++) {
            ratios.add(values.get(measure).get(i) / values.get(base).get(i));
        }
        return Rates.median(ratios);
    }
}
