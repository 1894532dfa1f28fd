package com.mediapipeline.webhooks;

import jakarta.enterprise.concurrent.ManagedThreadFactory;

import java.util.logging.Logger;

/**
 * A thread of its own, from the container's factory, running one round after another until the
 * application stops: the container's executors are no place for work that never ends. A round that
 * fails (Redis away) is logged, and the next one follows a second later.
 */
final class BackgroundLoop {

    private static final Logger LOG = Logger.getLogger(BackgroundLoop.class.getName());
    private static final long PAUSE_AFTER_FAILURE_MILLIS = 1000;

    private volatile boolean running = true;
    private Thread thread;

    /** One round of the loop's work; it may block, and ends when interrupted. */
    interface Round {
        void run() throws InterruptedException;
    }

    void start(ManagedThreadFactory threads, String name, Round round) {
        thread = threads.newThread(() -> {
            while (running) {
                try {
                    round.run();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.warning(name + " paused: " + e.getMessage());
                        pause();
                    }
                }
            }
        });
        thread.setName(name);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE_AFTER_FAILURE_MILLIS);
        } catch (InterruptedException e) {
            running = false;
        }
    }
}
