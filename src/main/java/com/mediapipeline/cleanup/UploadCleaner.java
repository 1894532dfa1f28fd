package com.mediapipeline.cleanup;

import com.mediapipeline.config.Retention;
import com.mediapipeline.progress.ExpiryIndex;
import com.mediapipeline.progress.ProgressStore;
import com.mediapipeline.progress.UploadFacts;
import com.mediapipeline.upload.UploadFileStore;
import com.mediapipeline.upload.UploadId;
import com.mediapipeline.upload.UploadLocks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadInfo;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What the sweep does with one upload. Its files decide: a completed upload is due {@code retention.completed}
 * after its last byte, an unfinished one at its {@code Upload-Expires}; one that is receiving bytes (its lock
 * is held) is never removed. The status hash and the expiry index follow the files.
 */
@ApplicationScoped
public class UploadCleaner {

    private static final Logger LOG = Logger.getLogger(UploadCleaner.class.getName());

    @Inject
    UploadFileStore files;

    @Inject
    ProgressStore statuses;

    @Inject
    ExpiryIndex expiries;

    @Inject
    UploadLocks locks;

    @Inject
    Retention retention;

    /** What became of an upload that the expiry index said was due. */
    enum Outcome {
        REMOVED,
        /**
         * Its entry stays, and the next sweep looks again: due but receiving bytes, or its files are gone but
         * its hash is not (a removal a crash interrupted, or an instance with another storage folder on this
         * Redis): the reconciliation drops such a hash, and the entry goes after it.
         */
        LEFT,
        /** Gone already, or not due yet after all: its entry was dropped or moved. */
        SETTLED
    }

    /** An upload that its business's expiry index says is due: removed if its files agree, else rescheduled. */
    Outcome removeIfDue(String business, String member, Instant now) throws IOException, TusException {
        Optional<UploadId> id = UploadId.parse(member);
        UploadInfo info = id.isEmpty() ? null : files.info(id.get());
        if (info == null) {
            if (id.isPresent() && statuses.exists(business, id.get())) {
                return Outcome.LEFT;
            }
            expiries.drop(business, member);
            return Outcome.SETTLED;
        }
        Instant due = expiresAt(info, id.get(), files.lastWrite(id.get()));
        if (due.isBefore(now)) {
            return expire(info, id.get()) ? Outcome.REMOVED : Outcome.LEFT;
        }
        // a later PATCH or the completion moved its expiry, and a write of the status that said so was lost or late
        expiries.reschedule(business, member, due);
        return Outcome.SETTLED;
    }

    /**
     * The reconciliation's look at an upload folder: removes a folder that never became an upload, or an
     * upload that is due; restores a status that Redis lost, repairs one that lost a write, and schedules it
     * in the expiry index (an upload stored by an older version is in none). Answers whether it removed it.
     */
    boolean reconcile(UploadId id, Instant now) throws IOException, TusException {
        UploadInfo info = files.info(id);
        Instant lastWrite = files.lastWrite(id);
        if (info == null) {
            if (lastWrite.plus(retention.interval()).isBefore(now)) {
                files.removeFolder(id);
            }
            return false;
        }
        Instant due = expiresAt(info, id, lastWrite);
        if (due.isBefore(now)) {
            return expire(info, id);
        }
        // one look at the hash for the many uploads whose status is right; more only for the others
        if (!agrees(id, info)) {
            if (!statuses.exists(info.getOwnerKey(), id)) {
                // Redis lost the hash (restarted without persistence): the status comes back from the info file
                statuses.restore(info, lastWrite);
            } else {
                repair(info, id);
            }
        }
        expiries.ensure(info.getOwnerKey(), id.value(), due);
        return false;
    }

    private boolean agrees(UploadId id, UploadInfo info) {
        return statuses.agrees(info.getOwnerKey(), id, info.getOffset(), !info.isUploadInProgress());
    }

    /**
     * A hash that disagrees with the info file lost a write. Not while a PATCH streams (its live
     * offset runs ahead of the record), and judged again on a fresh read of the info, since a PATCH
     * may have recorded bytes between the first read and the look at the hash.
     */
    private void repair(UploadInfo info, UploadId id) throws IOException {
        if (locks.isLocked(info.getOwnerKey(), id.value())) {
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
            return statuses.completedAt(info.getOwnerKey(), id).orElse(lastWrite).plus(retention.completed());
        }
        return info.getExpirationTimestamp() != null ? Instant.ofEpochMilli(info.getExpirationTimestamp())
                : lastWrite.plus(retention.incomplete());
    }

    /** An upload that is receiving bytes holds its lock, and is left alone. */
    private boolean expire(UploadInfo info, UploadId id) throws IOException, TusException {
        Optional<UploadLocks.Held> lock = locks.tryLock(info.getOwnerKey(), id.value());
        if (lock.isEmpty()) {
            return false;
        }
        try (UploadLocks.Held held = lock.get()) {
            // judged again under the lock: a PATCH that ended between the first look and the lock moved the expiry
            UploadInfo now = files.info(id);
            if (now == null || !expiresAt(now, id, files.lastWrite(id)).isBefore(Instant.now())) {
                return false;
            }
            files.remove(now, "expired");
            return true;
        }
    }
}
