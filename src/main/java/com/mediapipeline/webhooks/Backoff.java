package com.mediapipeline.webhooks;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: the base delay after the first attempt, doubling after each
 * one, each spread by ±20 % so that the retries of many events that failed together do not arrive together.
 */
final class Backoff {

    private static final double JITTER = 0.2;

    private Backoff() {
    }

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    static Duration after(int attempts, Duration base, RandomGenerator random) {
        double exact = base.toMillis() * Math.pow(2, attempts - 1);
        double spread = 1 + JITTER * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(exact * spread));
    }
}
