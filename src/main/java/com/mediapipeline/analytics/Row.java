package com.mediapipeline.analytics;

import jakarta.json.bind.annotation.JsonbProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * One interval's analytics; percentiles come from {@link Histogram}, so within its relative error. The
 * percentiles are named explicitly: the snake_case mapping puts no underscore before a digit's unit ("p50ms").
 */
public record Row(Instant start, Instant end, long created, long completed, long failed, long expired, long deleted,
                  long bytesReceived, long bytesStored, @JsonbProperty("duration_p50_ms") long durationP50Ms,
                  @JsonbProperty("duration_p95_ms") long durationP95Ms, @JsonbProperty("throughput_p50_bps") long throughputP50Bps,
                  long users) {

    /** The interval's row from the counters of each of its hours (empty maps for hours with nothing). */
    static Row of(AnalyticsQuery.Span span, List<Map<String, String>> hours, long users) {
        Histogram durations = new Histogram();
        Histogram throughputs = new Histogram();
        hours.forEach(hour -> {
            durations.addAll(Tallies.DURATION, hour);
            throughputs.addAll(Tallies.THROUGHPUT, hour);
        });
        ToLongFunction<String> sum = field -> hours.stream().mapToLong(hour -> Long.parseLong(hour.getOrDefault(field, "0"))).sum();
        return new Row(span.start(), span.end(), sum.applyAsLong("created"), sum.applyAsLong("completed"), sum.applyAsLong("failed"),
                sum.applyAsLong("expired"), sum.applyAsLong("deleted"), sum.applyAsLong("bytes_received"), sum.applyAsLong("bytes_stored"),
                durations.percentile(0.5), durations.percentile(0.95), throughputs.percentile(0.5), users);
    }
}
