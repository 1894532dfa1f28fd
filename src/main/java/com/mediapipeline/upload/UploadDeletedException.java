package com.mediapipeline.upload;

import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadId;

/** The upload was deleted while a PATCH was streaming into it: that PATCH ends with 410 Gone. */
public class UploadDeletedException extends TusException {

    public UploadDeletedException(UploadId id) {
        super(410, "The upload " + id + " was deleted while this request was sending bytes to it");
    }
}
