package com.mediapipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs measures {@code runs} times each, in the orders that keep a slow minute of the machine fair to all. */
record Repetitions(int runs) {

    /** One figure, such as MB/s. */
    interface Measure {
        double run() throws Exception;
    }

    /** One set of latencies with its rate. */
    interface LatencyMeasure {
        Latencies run() throws Exception;
    }

    /** Each measure in turn, round after round, so that a slow minute of the machine hits them all. */
    Rounds interleaved(Measure... measures) throws Exception {
        List<List<Double>> values = new ArrayList<>();
        for (Measure ignored : measures) {
            values.add(new ArrayList<>());
        }
        for (int i = 0; i < runs; i++) {
            for (int m = 0; m < measures.length; m++) {
                values.get(m).add(measures[m].run());
            }
        }
        return new Rounds(values);
    }

    /** Both, alternating: the median rate of each, with its latencies pooled. */
    Latencies[] alternated(LatencyMeasure ours, LatencyMeasure peer) throws Exception {
        List<Latencies> oursRuns = new ArrayList<>();
        List<Latencies> peerRuns = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            oursRuns.add(ours.run());
            peerRuns.add(peer.run());
        }
        return new Latencies[] {Latencies.pooled(oursRuns), Latencies.pooled(peerRuns)};
    }

    /** One measure alone: every run's latencies pooled. */
    Latencies pooled(LatencyMeasure measure) throws Exception {
        List<Latencies> all = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            all.add(measure.run());
        }
        return Latencies.pooled(all);
    }

    /** One measure alone: its result of every run, for the caller to pool. */
    <T> List<T> each(Callable<T> measure) throws Exception {
        List<T> results = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            results.add(measure.call());
        }
        return results;
    }

    /** One measure alone: the median of its runs. */
    double median(Measure measure) throws Exception {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            values.add(measure.run());
        }
        return Rates.median(values);
    }
}
