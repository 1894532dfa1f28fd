package com.mediapipeline.upload;

import me.desair.tus.server.exception.UploadOffsetMismatchException;

/** A PATCH at another offset than the upload's, with the offset it should resume from for the answer to carry. */
final class OffsetMismatch extends UploadOffsetMismatchException {

    private final long current;

    OffsetMismatch(long current, String sent) {
        super("The Upload-Offset was " + sent + " but expected " + current);
        this.current = current;
    }

    long current() {
        return current;
    }
}
