package com.mediapipeline.webhooks;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.mediapipeline.outbound.HookSender;

import java.time.Duration;

/** How webhooks are retried, throttled and logged. */
@ApplicationScoped
public class WebhookSettings {

    static final String RETRY_BASE_SETTING = "mediapipeline.webhooks.retry-base";
    static final String MAX_ATTEMPTS_SETTING = "mediapipeline.webhooks.max-attempts";
    static final String PROGRESS_INTERVAL_SETTING = "mediapipeline.webhooks.progress-interval";
    static final String LOG_RETENTION_SETTING = "mediapipeline.webhooks.log-retention";

    @Inject
    @ConfigProperty(name = RETRY_BASE_SETTING, defaultValue = "PT5S")
    Duration retryBase;

    @Inject
    @ConfigProperty(name = MAX_ATTEMPTS_SETTING, defaultValue = "12")
    int maxAttempts;

    @Inject
    @ConfigProperty(name = PROGRESS_INTERVAL_SETTING, defaultValue = "PT5S")
    Duration progressInterval;

    @Inject
    @ConfigProperty(name = LOG_RETENTION_SETTING, defaultValue = "P7D")
    Duration logRetention;

    @Inject
    @ConfigProperty(name = HookSender.TIMEOUT_SETTING, defaultValue = "PT10S")
    Duration timeout;

    @PostConstruct
    void validate() {
        InvalidSettingException.require(retryBase.toMillis() >= 10, RETRY_BASE_SETTING, "must be at least 10 ms, was " + retryBase);
        InvalidSettingException.require(maxAttempts >= 1 && maxAttempts <= 30, MAX_ATTEMPTS_SETTING, "must be 1 to 30, was " + maxAttempts);
        InvalidSettingException.require(progressInterval.toMillis() >= 100, PROGRESS_INTERVAL_SETTING,
                "must be at least 100 ms, was " + progressInterval);
        Duration retries = retryWindow().plus(lease());
        InvalidSettingException.require(logRetention.compareTo(retries) > 0, LOG_RETENTION_SETTING,
                "must be longer than the retries of one delivery (" + retries + " with " + RETRY_BASE_SETTING + " and " + MAX_ATTEMPTS_SETTING
                        + "), so that the log shows every pending one; was " + logRetention);
    }

    public Duration retryBase() {
        return retryBase;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration progressInterval() {
        return progressInterval;
    }

    public Duration logRetention() {
        return logRetention;
    }

    /** The longest a delivery can take from its first attempt to its last: every backoff at its +20 %. */
    Duration retryWindow() {
        return Duration.ofMillis(Math.round(retryBase.toMillis() * (Math.pow(2, maxAttempts - 1) - 1) * 1.2));
    }

    public Duration timeout() {
        return timeout;
    }

    /** How long one instance holds a delivery it attempts: past it, another instance takes it over. */
    public Duration lease() {
        return timeout.multipliedBy(2).plusSeconds(10);
    }
}
