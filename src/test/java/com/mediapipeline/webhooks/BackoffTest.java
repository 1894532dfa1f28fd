package com.mediapipeline.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    private static final Duration BASE = Duration.ofSeconds(5);

    @Test
    void theDelayDoublesFromTheBaseWithinTwentyPercent() {
        assertEquals(Duration.ofSeconds(5), Backoff.after(1, BASE, fixed(0.5)));
        assertEquals(Duration.ofSeconds(40), Backoff.after(4, BASE, fixed(0.5)));
        assertEquals(Duration.ofSeconds(4), Backoff.after(1, BASE, fixed(0.0)));
        assertEquals(Duration.ofMillis(5 * 1024 * 1200), Backoff.after(11, BASE, fixed(1.0)));
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
