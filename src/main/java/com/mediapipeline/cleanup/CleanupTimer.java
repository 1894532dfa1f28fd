package com.mediapipeline.cleanup;

import com.mediapipeline.config.Retention;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Fires the cleanup sweep every {@code mediapipeline.cleanup.interval} on every instance; one of them sweeps. */
@Singleton
@Startup
public class CleanupTimer {

    private static final Logger LOG = Logger.getLogger(CleanupTimer.class.getName());

    @Resource
    TimerService timers;

    @Inject
    Retention retention;

    @Inject
    Sweeper sweeper;

    @PostConstruct
    void schedule() {
        long every = retention.interval().toMillis();
        // not persistent: every instance schedules its own on start, and Redis decides who sweeps
        timers.createIntervalTimer(every, every, new TimerConfig("mediapipeline-cleanup", false));
    }

    @Timeout
    void sweep() {
        try {
            sweeper.sweepUnlessTaken();
        } catch (RuntimeException e) {
            // a failed sweep (Redis away) must not cancel the timer: the next one tries again
            LOG.log(Level.WARNING, "Cleanup sweep failed", e);
        }
    }
}
