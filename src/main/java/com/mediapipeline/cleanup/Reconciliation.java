package com.mediapipeline.cleanup;

import com.mediapipeline.config.Retention;
import com.mediapipeline.progress.ProgressStore;
import com.mediapipeline.progress.UploadIndex;
import com.mediapipeline.redis.ScanStep;
import com.mediapipeline.upload.UploadFileStore;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.exception.TusException;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The full reconciliation of the storage folder, the status hashes and the indexes, one slice per sweep
 * ({@link Retention#slices()} of them cover everything): the upload folders of a range of ids, and a
 * step of a walk over the status hashes and one over the listing indexes, each sized to its share of
 * the keys. Where it goes on is kept in Redis ({@link ReconciliationCursor}), so that the next sweep,
 * on whichever instance, does the next slice, and one that failed is done again.
 * <p>
 * It finds what the expiry index cannot: uploads in no index (stored by an older version during a rolling
 * upgrade, or their entry lost), folders that never became an upload, statuses Redis lost or that lost a
 * write, hashes whose files are gone, listing entries of uploads that are gone, and uploads that are due
 * although their business has no key any more.
 */
@ApplicationScoped
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class.getName());

    @Inject
    UploadFileStore files;

    @Inject
    UploadCleaner cleaner;

    @Inject
    ProgressStore statuses;

    @Inject
    UploadIndex index;

    @Inject
    ReconciliationCursor cursor;

    @Inject
    Retention retention;

    /** Reconciles the next slice; answers how many due uploads it removed. */
    int nextSlice(Instant now) {
        ReconciliationCursor.Position at = cursor.read();
        Slice slice = Slice.of(at.folders(), retention.slices());
        Optional<Integer> removed = folders(slice, now);
        ReconciliationCursor.Position next = keys(at);
        cursor.save(new ReconciliationCursor.Position(removed.isPresent() ? slice.next() : at.folders(), next.hashes(), next.indexes()));
        return removed.orElse(0);
    }

    /** The upload folders of the slice, once the remnants of removals a crash interrupted are gone; empty if the folder cannot be listed. */
    private Optional<Integer> folders(Slice slice, Instant now) {
        List<UploadId> ids;
        try {
            files.removeRemnants(retention.interval());
            ids = files.ids();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cleanup could not list the storage folder", e);
            return Optional.empty();
        }
        int removed = 0;
        for (UploadId id : ids) {
            if (!slice.contains(id)) {
                continue;
            }
            try {
                removed += cleaner.reconcile(id, now) ? 1 : 0;
            } catch (IOException | TusException | RuntimeException e) {
                // one upload the sweep cannot judge (Redis away, an unreadable folder) must not stop the others
                LOG.log(Level.WARNING, "Cleanup skipped upload " + id, e);
            }
        }
        return Optional.of(removed);
    }

    /**
     * The walks' next steps: drops hashes whose files are gone, then brings the listing indexes found in
     * line with the hashes; answers where the walks go on (where they were, if this step failed).
     */
    private ReconciliationCursor.Position keys(ReconciliationCursor.Position at) {
        try {
            long share = Math.max(1, cursor.keys() / retention.slices());
            ScanStep<ProgressStore.Hashed> hashes = statuses.ids(at.hashes(), share);
            Set<ProgressStore.Hashed> orphans = hashes.found().stream().filter(hashed -> UploadId.parse(hashed.id()).map(files::dataFile).isEmpty())
                    .collect(Collectors.toSet());
            orphans.forEach(orphan -> statuses.forget(orphan.business(), orphan.id()));
            ScanStep<String> indexes = index.indexes(at.indexes(), share);
            UploadIndex.Repair repair = index.repair(hashes.found().stream().filter(id -> !orphans.contains(id)).toList(), indexes.found());
            if (!orphans.isEmpty() || repair.dropped() > 0 || repair.listed() > 0) {
                LOG.info("Cleanup dropped " + orphans.size() + " status(es) of removed uploads and " + repair.dropped()
                        + " listing entries, and listed " + repair.listed() + " upload(s) again");
            }
            return new ReconciliationCursor.Position(0, hashes.cursor(), indexes.cursor());
        } catch (RuntimeException e) {
            // the removals of this sweep are done and counted all the same; the next sweep takes this step again
            LOG.log(Level.WARNING, "Cleanup could not reconcile the status hashes and listing indexes", e);
            return at;
        }
    }
}
