package com.mediapipeline.bench;

import java.math.BigDecimal;

/**
 * Every pass/fail target of the benchmark, in one table: what each figure must reach for the report to
 * say "met" rather than "MISSED". A scenario without a target here is reported as a figure only.
 */
enum Targets {

    /** 1 GiB in one PATCH, as a multiple of dd writing 1 GiB to the same disk. */
    ONE_PATCH(Bound.AT_LEAST, 0.9),
    /** 1 GiB in 8 MiB PATCHes, as a multiple of the same dd: each PATCH is durable before its answer. */
    EIGHT_MIB_PATCHES(Bound.AT_LEAST, 0.8),
    /** The median heap during 32 concurrent uploads, MiB above idle: bytes stream through, never whole. */
    HEAP_ABOVE_IDLE_MIB(Bound.AT_MOST, 64),
    /** The p99 delay of a progress message, in progress intervals. */
    PROGRESS_P99_INTERVALS(Bound.UNDER, 2),
    /** Redis progress writes per upload in one progress interval: the throttle writes at most once. */
    REDIS_WRITES_PER_INTERVAL(Bound.AT_MOST, 1),
    /** Uploads/s with a webhook taking every event, as a multiple of the same uploads without one: nothing measurable. */
    WEBHOOK_COST(Bound.AT_LEAST, 0.95),
    /** PATCHes/s with analytics counted, as a multiple of the same PATCHes on an instance with analytics off: within noise. */
    ANALYTICS_COST(Bound.AT_LEAST, 0.95);

    private final Bound bound;
    private final double limit;

    Targets(Bound bound, double limit) {
        this.bound = bound;
        this.limit = limit;
    }

    double limit() {
        return limit;
    }

    /** The limit as the report prints it: "0.9", "64". */
    String limitText() {
        return BigDecimal.valueOf(limit).stripTrailingZeros().toPlainString();
    }

    /** "≥ 0.9", "< 2". */
    String describe() {
        return bound.sign + " " + limitText();
    }

    /** "met" or "MISSED"; a figure that could not be taken (NaN) misses. */
    String verdict(double value) {
        boolean met = switch (bound) {
            case AT_LEAST -> value >= limit;
            case AT_MOST -> value <= limit;
            case UNDER -> value < limit;
        };
        return met ? "met" : "MISSED";
    }

    private enum Bound {
        AT_LEAST("≥"), AT_MOST("≤"), UNDER("<");

        private final String sign;

        Bound(String sign) {
            this.sign = sign;
        }
    }
}
