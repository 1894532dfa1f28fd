package com.mediapipeline.web;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletInputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Ends request bodies that stop arriving for {@code mediapipeline.upload.idle-timeout}: a stalled
 * PATCH would otherwise hold a request thread, its upload's lock and one of its key's stream slots
 * until the client wakes or the connection dies. Only time spent waiting in a read counts, so a
 * slow client that keeps sending, and a slow disk, are never cut off. One sweep a second looks at
 * the bodies being read on this instance.
 */
@ApplicationScoped
public class StalledReads {

    static final String SETTING = "mediapipeline.upload.idle-timeout";
    /** domain.xml lets one socket read wait an hour; a longer idle timeout would never be reached. */
    static final Duration CONTAINER_READ_TIMEOUT = Duration.ofHours(1);
    private static final long SWEEP_MILLIS = 1000;
    private static final Logger LOG = Logger.getLogger(StalledReads.class.getName());

    @Inject
    @ConfigProperty(name = SETTING, defaultValue = "PT60S")
    Duration idleTimeout;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final Set<WatchedBody> bodies = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> sweeps;

    @PostConstruct
    void start() {
        InvalidSettingException.require(idleTimeout.toMillis() >= 1000 && idleTimeout.compareTo(CONTAINER_READ_TIMEOUT) <= 0,
                SETTING, "must be an ISO-8601 duration from PT1S to " + CONTAINER_READ_TIMEOUT + ", was " + idleTimeout);
        sweeps = scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        sweeps.cancel(false);
    }

    /** The request's body, watched until {@link #forget} (which the request must call when it ends). */
    WatchedBody watch(ServletInputStream body) {
        WatchedBody watched = new WatchedBody(body, idleTimeout);
        bodies.add(watched);
        return watched;
    }

    void forget(WatchedBody body) {
        bodies.remove(body);
    }

    private void sweep() {
        long idleSince = System.nanoTime() - idleTimeout.toNanos();
        for (WatchedBody body : bodies) {
            if (body.endIfWaitingSince(idleSince)) {
                LOG.info("Ended a request whose body sent nothing for " + idleTimeout);
            }
        }
    }
}
