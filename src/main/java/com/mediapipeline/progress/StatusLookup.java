package com.mediapipeline.progress;

import com.mediapipeline.upload.UploadFileStore;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.upload.UploadInfo;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Optional;

/**
 * One upload's status, as its business asks for it. Redis replicates asynchronously, so a failover (or a
 * restart without persistence) can lose a hash that was just written, while the upload is on disk and TUS
 * HEAD answers it: then the status comes back from the info file, and is written back for the listing
 * and the expiry index, rather than answering 404 until the next PATCH or the sweep's reconciliation.
 * The info file is read only when the hash is missing.
 */
@ApplicationScoped
public class StatusLookup {

    @Inject
    ProgressStore store;

    @Inject
    UploadFileStore files;

    /** The upload's status if it exists and belongs to the business; empty otherwise. */
    public Optional<UploadStatus> find(UploadId id, String business) throws IOException {
        Optional<UploadStatus> status = store.find(id, business);
        return status.isPresent() ? status : restored(id, business);
    }

    private Optional<UploadStatus> restored(UploadId id, String business) throws IOException {
        UploadInfo info = files.info(id);
        // another business's upload is answered exactly like a missing one, and left as it is
        if (info == null || !business.equals(info.getOwnerKey())) {
            return Optional.empty();
        }
        Instant lastWrite;
        try {
            lastWrite = files.lastWrite(id);
        } catch (NoSuchFileException deletedMeanwhile) {
            return Optional.empty();
        }
        store.restore(info, lastWrite);
        // what Redis holds now, not what the info said: the restoration wrote nothing if a PATCH wrote a newer
        // status after the info was read, or if the upload was deleted meanwhile (its tombstone)
        return store.find(id, business);
    }
}
