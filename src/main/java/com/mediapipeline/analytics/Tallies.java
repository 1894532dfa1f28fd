package com.mediapipeline.analytics;

import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a status write hands its script so that the script counts the write into the hour's analytics
 * (see {@code ProgressStore}): counting there, where the write is accepted or dropped, is what keeps two
 * instances, or a stale writer, from counting the same bytes twice, and costs no round trip of its own.
 */
@ApplicationScoped
public class Tallies {

    static final String DURATION = "duration_ms";
    static final String THROUGHPUT = "throughput_bps";

    @Inject
    AnalyticsSettings settings;

    /** The hour's counters, users and bytes per user; none when analytics are off, which the scripts take as "count nothing". */
    public List<String> keys(String business, Instant at) {
        if (!settings.enabled()) {
            return List.of();
        }
        long hour = hour(at);
        return List.of(RedisKeys.analytics(business, hour), RedisKeys.analyticsUsers(business, hour), RedisKeys.analyticsBytes(business, hour));
    }

    /**
     * When the hour's keys expire (epoch ms) and the prefix of a user's counters in it. Kept a day past the
     * retention, so that the oldest whole day a request may ask for is still whole.
     */
    public List<String> args(String business, Instant at) {
        long hour = hour(at);
        long expiry = Instant.ofEpochSecond(hour).plus(settings.retention()).plus(Duration.ofDays(1).plusHours(1)).toEpochMilli();
        return List.of(Long.toString(expiry), RedisKeys.analyticsUserPrefix(business, hour));
    }

    /** The histogram fields a completion counts in: its duration since the creation, and its throughput in bits per second. */
    public static List<String> completion(Instant createdAt, Instant completedAt, long size) {
        long millis = Math.max(1, Duration.between(createdAt, completedAt).toMillis());
        return List.of(Histogram.field(DURATION, millis), Histogram.field(THROUGHPUT, size * 8_000.0 / millis));
    }

    static long hour(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS).getEpochSecond();
    }
}
