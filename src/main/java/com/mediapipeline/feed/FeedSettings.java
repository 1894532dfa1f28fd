package com.mediapipeline.feed;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** The resume window of event streams, checked once at start (health/StartupChecks); the status scripts trim the streams to it. */
@ApplicationScoped
public class FeedSettings {

    static final String RESUME_WINDOW = "mediapipeline.events.resume-window";

    @Inject
    @ConfigProperty(name = RESUME_WINDOW, defaultValue = "PT5M")
    Duration resumeWindow;

    @PostConstruct
    void validate() {
        InvalidSettingException.require(resumeWindow.toMillis() >= 10_000 && resumeWindow.toMillis() <= Duration.ofHours(24).toMillis(),
                RESUME_WINDOW, "must be an ISO-8601 duration from 10 seconds to 24 hours, was " + resumeWindow);
    }
}
