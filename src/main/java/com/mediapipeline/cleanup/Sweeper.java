package com.mediapipeline.cleanup;

import com.mediapipeline.auth.ApiKeys;
import com.mediapipeline.config.Retention;
import com.mediapipeline.progress.ExpiryIndex;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.exception.TusException;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.annotation.Metric;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One sweep: removes the uploads that the expiry index of each business with a key says are due, if their
 * files agree ({@link UploadCleaner}), so that its cost follows the uploads due, not those stored; then
 * reconciles the next slice of everything ({@link Reconciliation}).
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class.getName());
    private static final int BATCH = 500;

    @Inject
    ApiKeys apiKeys;

    @Inject
    ExpiryIndex expiries;

    @Inject
    UploadCleaner cleaner;

    @Inject
    Reconciliation reconciliation;

    @Inject
    Retention retention;

    @Inject
    SweepLock sweepLock;

    @Inject
    @Metric(name = "cleanup.removed", absolute = true, description = "Expired uploads removed by cleanup sweeps on this instance")
    Counter removedUploads;

    /** Sweeps unless another instance already does this interval's sweep; answers how many uploads it removed. */
    public Optional<Integer> sweepUnlessTaken() {
        if (!sweepLock.tryTake(retention.interval().multipliedBy(9).dividedBy(10))) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        Instant now = Instant.now();
        // what is left when half the interval is over is the next sweep's: sweeps never overlap
        Instant deadline = now.plus(retention.interval().dividedBy(2));
        int removed = 0;
        for (String business : apiKeys.businesses()) {
            removed += removeDue(business, now, deadline);
        }
        removed += reconciliation.nextSlice(now);
        removedUploads.inc(removed);
        LOG.info("Cleanup sweep removed " + removed + " expired upload(s) in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return Optional.of(removed);
    }

    /** The business's uploads due by {@code now}, a batch at a time; those whose entry stays are skipped in the next batch. */
    private int removeDue(String business, Instant now, Instant deadline) {
        int removed = 0;
        int left = 0;
        List<String> due;
        do {
            due = expiries.due(business, now, left, BATCH);
            for (String id : due) {
                UploadCleaner.Outcome outcome;
                try {
                    outcome = cleaner.removeIfDue(business, id, now);
                } catch (IOException | TusException | RuntimeException e) {
                    // one upload the sweep cannot judge (an unreadable folder) must not stop the others
                    LOG.log(Level.WARNING, "Cleanup skipped upload " + id, e);
                    outcome = UploadCleaner.Outcome.LEFT;
                }
                removed += outcome == UploadCleaner.Outcome.REMOVED ? 1 : 0;
                left += outcome == UploadCleaner.Outcome.LEFT ? 1 : 0;
            }
        } while (due.size() == BATCH && Instant.now().isBefore(deadline));
        return removed;
    }
}
