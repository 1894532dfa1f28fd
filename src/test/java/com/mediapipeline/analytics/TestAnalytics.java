package com.mediapipeline.analytics;

import java.time.Duration;

/** Analytics as the container would inject them, for tests of the status scripts that run without one. */
public final class TestAnalytics {

    private TestAnalytics() {
    }

    /** Counting, kept for the default retention. */
    public static Tallies tallies() {
        AnalyticsSettings settings = new AnalyticsSettings();
        settings.enabled = true;
        settings.retention = Duration.ofDays(90);
        Tallies tallies = new Tallies();
        tallies.settings = settings;
        return tallies;
    }
}
