package com.mediapipeline.cleanup;

import com.mediapipeline.config.Retention;
import com.mediapipeline.progress.ProgressStore;
import com.mediapipeline.progress.UploadFacts;
import com.mediapipeline.progress.UploadIndex;
import com.mediapipeline.upload.UploadFileStore;
import com.mediapipeline.upload.UploadId;
import com.mediapipeline.upload.UploadLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadInfo;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.annotation.Metric;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One sweep: removes completed uploads older than {@code retention.completed} and unfinished ones
 * idle past their {@code Upload-Expires}, never one that is receiving bytes (its lock is held);
 * restores the status of uploads whose hash Redis lost (or repairs one that lost a write), and drops
 * hashes whose files are gone, and the listing entries of uploads that are gone.
 * Finishes removals that a crash interrupted.
 */
@ApplicationScoped
public class Sweeper {

    private static final Logger LOG = Logger.getLogger(Sweeper.class.getName());

    @Inject
    UploadFileStore files;

    @Inject
    ProgressStore statuses;

    @Inject
    UploadIndex index;

    @Inject
    UploadLocks locks;

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
        int removed = 0;
        for (UploadId id : listFolders()) {
            try {
                removed += sweep(id, Instant.now()) ? 1 : 0;
            } catch (IOException | TusException | RuntimeException e) {
                // one upload the sweep cannot judge (Redis away, an unreadable folder) must not stop the others
                LOG.log(Level.WARNING, "Cleanup skipped upload " + id, e);
            }
        }
        reconcileHashes();
        removedUploads.inc(removed);
        LOG.info("Cleanup sweep removed " + removed + " expired upload(s) in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return Optional.of(removed);
    }

    /** Drops hashes whose files are gone, then brings the listing indexes in line with the hashes left. */
    private void reconcileHashes() {
        Set<String> hashed = statuses.ids();
        Set<String> orphans = hashed.stream().filter(id -> UploadId.parse(id).map(files::dataFile).isEmpty()).collect(Collectors.toSet());
        orphans.forEach(statuses::forget);
        hashed.removeAll(orphans);
        try {
            UploadIndex.Repair repair = index.repair(hashed);
            if (repair.dropped() > 0 || repair.listed() > 0) {
                LOG.info("Cleanup dropped " + repair.dropped() + " listing entries of removed uploads and listed " + repair.listed() + " upload(s) again");
            }
        } catch (RuntimeException e) {
            // the removals of this sweep are done and counted all the same; the next sweep repairs the listing
            LOG.log(Level.WARNING, "Cleanup could not repair the listing indexes", e);
        }
    }

    private boolean sweep(UploadId id, Instant now) throws IOException, TusException {
        UploadInfo info = files.info(id);
        Instant lastWrite = files.lastWrite(id);
        if (info == null) {
            if (lastWrite.plus(retention.interval()).isBefore(now)) {
                files.removeFolder(id);
            }
            return false;
        }
        if (expiresAt(info, id, lastWrite).isBefore(now)) {
            return expire(info, id);
        }
        // one look at the hash for the many uploads whose status is right; more only for the others
        if (!agrees(id, info)) {
            if (!statuses.exists(id)) {
                restore(info, lastWrite);
            } else {
                repair(id);
            }
        }
        return false;
    }

    private boolean agrees(UploadId id, UploadInfo info) {
        return statuses.agrees(id, info.getOffset(), !info.isUploadInProgress());
    }

    /**
     * A hash that disagrees with the info file lost a write. Not while a PATCH streams (its live
     * offset runs ahead of the record), and judged again on a fresh read of the info, since a PATCH
     * may have recorded bytes between the first read and the look at the hash.
     */
    private void repair(UploadId id) throws IOException {
        if (locks.isLocked(id.value())) {
            return;
        }
        UploadInfo now = files.info(id);
        if (now != null && !agrees(id, now)) {
            LOG.info("Cleanup repaired the status of upload " + id + " to offset " + now.getOffset());
            statuses.repair(UploadFacts.of(now), now.getOffset(), !now.isUploadInProgress(), Instant.now());
        }
    }

    private Instant expiresAt(UploadInfo info, UploadId id, Instant lastWrite) {
        if (!info.isUploadInProgress()) {
            return statuses.completedAt(id).orElse(lastWrite).plus(retention.completed());
        }
        return info.getExpirationTimestamp() != null ? Instant.ofEpochMilli(info.getExpirationTimestamp())
                : lastWrite.plus(retention.incomplete());
    }

    /** An upload that is receiving bytes holds its lock, and is left alone. */
    private boolean expire(UploadInfo info, UploadId id) throws IOException, TusException {
        Optional<UploadLocks.Held> lock = locks.tryLock(id.value());
        if (lock.isEmpty()) {
            return false;
        }
        try (UploadLocks.Held held = lock.get()) {
            files.remove(info, "expired");
            return true;
        }
    }

    /** Redis lost the hash (restarted without persistence): the status comes back from the info file. */
    private void restore(UploadInfo info, Instant lastWrite) {
        statuses.restore(UploadFacts.of(info), info.getOffset(), !info.isUploadInProgress(), lastWrite);
    }

    /** Every upload folder, once the remnants of removals a crash interrupted are gone. */
    private List<UploadId> listFolders() {
        try {
            files.removeRemnants(retention.interval());
            return files.ids();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cleanup could not list the storage folder", e);
            return List.of();
        }
    }
}
