package com.mediapipeline.analytics;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** Whether analytics are recorded, and how long their hourly buckets are kept. */
@ApplicationScoped
public class AnalyticsSettings {

    static final String ENABLED_SETTING = "mediapipeline.analytics.enabled";
    static final String RETENTION_SETTING = "mediapipeline.analytics.retention";

    @Inject
    @ConfigProperty(name = ENABLED_SETTING, defaultValue = "true")
    boolean enabled;

    @Inject
    @ConfigProperty(name = RETENTION_SETTING, defaultValue = "P90D")
    Duration retention;

    @PostConstruct
    void validate() {
        InvalidSettingException.require(retention.compareTo(Duration.ofDays(1)) >= 0, RETENTION_SETTING,
                "must be an ISO-8601 duration of at least a day (P1D), was " + retention);
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration retention() {
        return retention;
    }
}
