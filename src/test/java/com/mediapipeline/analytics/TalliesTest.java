package com.mediapipeline.analytics;

import com.mediapipeline.redis.RedisKeys;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TalliesTest {

    /** A completion counts its duration since creation and its throughput in bits per second. */
    @Test
    void aCompletionCountsItsDurationAndThroughput() {
        Instant created = Instant.parse("2026-11-30T03:00:00Z");
        assertEquals(List.of(Histogram.field(Tallies.DURATION, 2000), Histogram.field(Tallies.THROUGHPUT, 4_000_000)),
                Tallies.completion(created, created.plusSeconds(2), 1_000_000));
        assertEquals(List.of(Histogram.field(Tallies.DURATION, 1), Histogram.field(Tallies.THROUGHPUT, 8_000)),
                Tallies.completion(created, created, 1), "no time at all counts as 1 ms");
    }

    /** The keys of the write's hour, kept a day past the retention since their hour ended; none when off. */
    @Test
    void aWriteCountsIntoItsHoursKeys() {
        Tallies tallies = TestAnalytics.tallies();
        Instant at = Instant.parse("2026-11-30T03:59:59.999Z");
        long hour = Instant.parse("2026-11-30T03:00:00Z").getEpochSecond();
        assertEquals(List.of(RedisKeys.analytics("acme", hour), RedisKeys.analyticsUsers("acme", hour), RedisKeys.analyticsBytes("acme", hour)),
                tallies.keys("acme", at));
        assertEquals(List.of(Long.toString(Instant.parse("2026-11-30T04:00:00Z").plus(Duration.ofDays(91)).toEpochMilli()),
                RedisKeys.analyticsUserPrefix("acme", hour)), tallies.args("acme", at));
        tallies.settings.enabled = false;
        assertEquals(List.of(), tallies.keys("acme", at));
    }
}
