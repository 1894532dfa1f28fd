package com.mediapipeline.upload;

import java.io.Closeable;
import java.io.IOException;

/**
 * A PATCH's lease on the upload and its visit of the upload's info, ended once: before the answer to
 * a failure of tus-java-server's own leaves ({@link TusResponse}), so that the client's next PATCH, sent
 * the moment it reads the answer, finds the lock free; otherwise when the request is done.
 */
final class PatchHold implements Closeable {

    private final UploadLocks.Held lease;
    private final UploadFileStore.Scope visit;
    private boolean ended;

    PatchHold(UploadLocks.Held lease, UploadFileStore.Scope visit) {
        this.lease = lease;
        this.visit = visit;
    }

    /** The visit's fence closes first: the lease must outlast every write it fences. */
    @Override
    public void close() throws IOException {
        if (ended) {
            return;
        }
        ended = true;
        try {
            visit.close();
        } finally {
            lease.close();
        }
    }
}
