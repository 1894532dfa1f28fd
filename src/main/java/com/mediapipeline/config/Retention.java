package com.mediapipeline.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** How long uploads are kept, how often the cleanup sweep looks, and over how long it reconciles everything. */
@ApplicationScoped
public class Retention {

    static final String COMPLETED_SETTING = "mediapipeline.retention.completed";
    static final String INCOMPLETE_SETTING = "mediapipeline.retention.incomplete";
    static final String INTERVAL_SETTING = "mediapipeline.cleanup.interval";
    static final String RECONCILIATION_SETTING = "mediapipeline.cleanup.reconciliation";
    /** Slices of the reconciliation are ranges of the upload ids' first four hex digits: at most this many. */
    private static final long MAX_SLICES = 1 << 16;

    @Inject
    @ConfigProperty(name = COMPLETED_SETTING, defaultValue = "PT24H")
    Duration completed;

    @Inject
    @ConfigProperty(name = INCOMPLETE_SETTING, defaultValue = "PT24H")
    Duration incomplete;

    @Inject
    @ConfigProperty(name = INTERVAL_SETTING, defaultValue = "PT5M")
    Duration interval;

    @Inject
    @ConfigProperty(name = RECONCILIATION_SETTING, defaultValue = "P1D")
    Duration reconciliation;

    @PostConstruct
    void validate() {
        requireSecond(COMPLETED_SETTING, completed);
        requireSecond(INCOMPLETE_SETTING, incomplete);
        requireSecond(INTERVAL_SETTING, interval);
        InvalidSettingException.require(reconciliation.compareTo(interval) >= 0, RECONCILIATION_SETTING,
                "must be an ISO-8601 duration of at least the cleanup interval (" + interval + "), was " + reconciliation);
    }

    private static void requireSecond(String setting, Duration value) {
        InvalidSettingException.require(value.toMillis() >= 1000, setting,
                "must be an ISO-8601 duration of at least a second, was " + value);
    }

    /** A completed upload is removed this long after its last byte arrived. */
    public Duration completed() {
        return completed;
    }

    /** An unfinished upload is removed this long after its last PATCH (TUS Upload-Expires). */
    public Duration incomplete() {
        return incomplete;
    }

    public Duration interval() {
        return interval;
    }

    /**
     * In how many slices, one per sweep, the sweep reconciles every stored upload: as many as half the sweeps
     * of {@code cleanup.reconciliation}, so that every upload is looked at within it even when sweeps fail or
     * are missed (a slice is done again until it succeeds). One when the period is shorter than two intervals.
     */
    public int slices() {
        return (int) Math.min(MAX_SLICES, Math.max(1, reconciliation.toMillis() / (2 * interval.toMillis())));
    }

    /** How long Redis keeps a completed upload's hash if every sweep failed to remove it. */
    public Duration completedKeyTtl() {
        return completed.plus(interval.multipliedBy(2));
    }
}
