package com.mediapipeline.storage;

/**
 * Asked before every block an append writes: does this request still own the upload? A PATCH
 * that stalled long enough for its lock to pass to another request must not write on.
 */
public interface WriteGuard {

    /** @throws LockLostException when another request now owns the upload */
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
