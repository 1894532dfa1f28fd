package com.mediapipeline.upload;

import java.util.OptionalLong;

/**
 * The store's view of the upload locks: which lease the current request holds on an upload (its
 * generation fences every write, see {@link Fence}), and, asked as bytes flow, whether it still
 * holds it. A PATCH that stalled long enough for its lock to pass to another request must stop.
 */
public interface WriteGuard {

    /** The generation of the lease the current request holds on the upload, if it holds one. */
    OptionalLong generation(String uploadId);

    /** Renews the current request's lease as bytes flow. @throws LockLostException when another request owns the upload now */
    void confirm(String uploadId) throws LockLostException;

    /**
     * Another request owns the upload now: this one records nothing. An IOException rather than a
     * TusException on purpose, so that tus-java-server does not "remove the bytes of the failed
     * request" from a file that the new owner is writing.
     */
    class LockLostException extends java.io.IOException {
        public LockLostException(String uploadId) {
            super("Upload " + uploadId + " was taken over by another request after this one stalled");
        }
    }
}
