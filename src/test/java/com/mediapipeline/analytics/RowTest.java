package com.mediapipeline.analytics;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RowTest {

    private static final AnalyticsQuery.Span DAY = new AnalyticsQuery.Span(Instant.parse("2026-11-29T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z"));

    /** A row adds up its hours' counters and merges their histograms before taking percentiles. */
    @Test
    void aRowAddsUpItsHours() {
        Map<String, String> first = Map.of("created", "2", "completed", "1", "bytes_received", "100", "bytes_stored", "60",
                Histogram.field(Tallies.DURATION, 1000), "1", Histogram.field(Tallies.THROUGHPUT, 8000), "1");
        Map<String, String> third = Map.of("created", "1", "completed", "2", "failed", "1", "expired", "3", "deleted", "4",
                "bytes_received", "-10", Histogram.field(Tallies.DURATION, 3000), "2", Histogram.field(Tallies.THROUGHPUT, 64_000), "2");

        Row row = Row.of(DAY, List.of(first, Map.of(), third), 5);

        assertEquals(new Row(DAY.start(), DAY.end(), 3, 3, 1, 3, 4, 90, 60, row.durationP50Ms(), row.durationP95Ms(), row.throughputP50Bps(), 5), row);
        assertEquals(3000, row.durationP50Ms(), 3000 * Histogram.RELATIVE_ERROR);
        assertEquals(3000, row.durationP95Ms(), 3000 * Histogram.RELATIVE_ERROR);
        assertEquals(64_000, row.throughputP50Bps(), 64_000 * Histogram.RELATIVE_ERROR);
    }

    @Test
    void aQuietIntervalIsZeros() {
        assertEquals(new Row(DAY.start(), DAY.end(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Row.of(DAY, List.of(Map.of(), Map.of()), 0));
    }
}
