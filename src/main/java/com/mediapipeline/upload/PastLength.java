package com.mediapipeline.upload;

import me.desair.tus.server.exception.MaxUploadLengthExceededException;

/** Bytes past the upload's length (413 in TUS); whether it was complete before tells the IETF protocol's problem. */
final class PastLength extends MaxUploadLengthExceededException {

    private final boolean alreadyComplete;

    PastLength(String message, boolean alreadyComplete) {
        super(message);
        this.alreadyComplete = alreadyComplete;
    }

    boolean alreadyComplete() {
        return alreadyComplete;
    }
}
