package com.mediapipeline.upload;

import me.desair.tus.server.upload.UploadId;
import me.desair.tus.server.upload.UploadIdFactory;
import me.desair.tus.server.upload.UploadLock;
import me.desair.tus.server.upload.UploadLockingService;

/**
 * tus-java-server's locking hook. Its 1.0.0-3.0 release swallows a failed lock and answers
 * nothing, so {@link TusFilter} takes the writer's Redis lock ({@link UploadLocks}) itself before
 * handing over and answers 423 when it cannot; here every request is let through with the lock it
 * already holds (or, for reads, needs none: a HEAD must answer even while a PATCH stalls).
 */
class HeldLocks implements UploadLockingService {

    @Override
    public UploadLock lockUploadByUri(String requestUri) {
        return new UploadLock() {
            @Override
            public String getUploadUri() {
                return requestUri;
            }

            @Override
            public void release() {
                // the filter releases the lock it took
            }

            @Override
            public void close() {
                release();
            }
        };
    }

    @Override
    public void cleanupStaleLocks() {
        // held locks live only as long as the request that took them
    }

    /** Asked only by the library's own expiry cleanup, which the service does not run (see cleanup/). */
    @Override
    public boolean isLocked(UploadId id) {
        throw new UnsupportedOperationException("The cleanup sweep, not tus-java-server, expires uploads");
    }

    @Override
    public void setIdFactory(UploadIdFactory idFactory) {
        // the filter reads upload ids itself
    }
}
