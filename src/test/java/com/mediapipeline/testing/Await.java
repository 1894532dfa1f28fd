package com.mediapipeline.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Waits for something the service does by itself (a lock taken or expired, a status written, a log
 * line, a sweep): asks again and again until the answer will do or the deadline passes, then fails
 * with what it was waiting for and the last answer it got. No fixed sleeps: a fast machine moves on
 * at once, a slow one gets the whole deadline.
 */
public final class Await {

    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(10).toNanos();
    private static final long LONGEST_PAUSE_NANOS = Duration.ofMillis(200).toNanos();

    private Await() {
    }

    /** A question to ask the service; an exception it throws ends the wait at once. */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    /**
     * Asks {@code probe} until {@code done} accepts its answer, and returns that answer.
     *
     * @param timeout     how long the wait may take at most
     * @param description what is awaited, for the failure message ("the upload's lock expires")
     * @throws AssertionError when the deadline passes first; its message shows the last answer
     */
    public static <T> T until(Duration timeout, String description, Probe<T> probe, Predicate<? super T> done) {
        long start = System.nanoTime();
        long pause = FIRST_PAUSE_NANOS;
        T last;
        while (true) {
            last = ask(probe, description);
            if (done.test(last)) {
                return last;
            }
            long left = timeout.toNanos() - (System.nanoTime() - start);
            if (left <= 0) {
                throw new AssertionError("Waited " + timeout.toMillis() + " ms for " + description
                        + "; the last answer was: " + last);
            }
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + description + "; the last answer was: " + last);
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
    }

    /** Waits until {@code condition} holds. */
    public static void until(Duration timeout, String description, Probe<Boolean> condition) {
        until(timeout, description, condition, Boolean.TRUE::equals);
    }

    private static <T> T ask(Probe<T> probe, String description) {
        try {
            return probe.get();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + description, e);
        } catch (Exception e) {
            throw new AssertionError("Asking whether " + description + " failed", e);
        }
    }
}
