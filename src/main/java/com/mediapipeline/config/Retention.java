package com.mediapipeline.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** How long uploads are kept, and how often the cleanup sweep looks. */
@ApplicationScoped
public class Retention {

    static final String COMPLETED_SETTING = "mediapipeline.retention.completed";
    static final String INCOMPLETE_SETTING = "mediapipeline.retention.incomplete";
    static final String INTERVAL_SETTING = "mediapipeline.cleanup.interval";

    @Inject
    @ConfigProperty(name = COMPLETED_SETTING, defaultValue = "PT24H")
    Duration completed;

    @Inject
    @ConfigProperty(name = INCOMPLETE_SETTING, defaultValue = "PT24H")
    Duration incomplete;

    @Inject
    @ConfigProperty(name = INTERVAL_SETTING, defaultValue = "PT5M")
    Duration interval;

    @PostConstruct
    void validate() {
        requireSecond(COMPLETED_SETTING, completed);
        requireSecond(INCOMPLETE_SETTING, incomplete);
        requireSecond(INTERVAL_SETTING, interval);
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

    /** How long Redis keeps a completed upload's hash if every sweep failed to remove it. */
    public Duration completedKeyTtl() {
        return completed.plus(interval.multipliedBy(2));
    }
}
