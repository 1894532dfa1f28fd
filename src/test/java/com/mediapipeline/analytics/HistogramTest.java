package com.mediapipeline.analytics;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramTest {

    /** Every value from 1 to 10^9 comes back from its bucket within the stated relative error. */
    @Test
    void aBucketAnswersWithinTheRelativeErrorOfEveryValueInIt() {
        Random random = new Random(15);
        for (int i = 0; i < 100_000; i++) {
            long value = 1 + (long) Math.pow(10, random.nextDouble() * 9);
            Histogram one = new Histogram();
            one.add(Histogram.bucket(value), 1);
            assertWithinError(value, one.percentile(0.5));
        }
    }

    /** The nearest rank: of 1..100, p50 is the 50th value and p95 the 95th, each within the error. */
    @Test
    void percentilesAreTheNearestRankWithinTheError() {
        Histogram histogram = new Histogram();
        LongStream.rangeClosed(1, 100).forEach(value -> histogram.add(Histogram.bucket(value * 1000), 1));
        assertWithinError(50_000, histogram.percentile(0.5));
        assertWithinError(95_000, histogram.percentile(0.95));
        assertWithinError(100_000, histogram.percentile(1));
    }

    @Test
    void anEmptyHistogramAnswersZero() {
        assertEquals(0, new Histogram().percentile(0.5));
    }

    /** The buckets of several hours add up; fields of other histograms and counters are not counted. */
    @Test
    void bucketsAreReadFromTheirHashFields() {
        Histogram histogram = new Histogram();
        histogram.addAll("duration_ms", Map.of(Histogram.field("duration_ms", 200), "3", "throughput_bps:7", "9", "created", "4"));
        histogram.addAll("duration_ms", Map.of(Histogram.field("duration_ms", 5000), "1"));
        assertWithinError(200, histogram.percentile(0.75));
        assertWithinError(5000, histogram.percentile(0.76));
    }

    @Test
    void valuesBelowOneCountAsOne() {
        Histogram histogram = new Histogram();
        histogram.add(Histogram.bucket(0), 1);
        assertEquals(1, histogram.percentile(0.5));
    }

    private static void assertWithinError(long expected, long actual) {
        // rounding to a whole number adds at most a half
        assertTrue(Math.abs(actual - expected) <= expected * Histogram.RELATIVE_ERROR + 0.5, actual + " is within "
                + Histogram.RELATIVE_ERROR + " of " + expected);
    }
}
