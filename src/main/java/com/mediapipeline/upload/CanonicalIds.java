package com.mediapipeline.upload;

import me.desair.tus.server.upload.UuidUploadIdFactory;

import java.io.Serializable;
import java.util.UUID;

/** tus-java-server's ids are ours: a URL's last segment names an upload only when it is an {@link UploadId}. */
final class CanonicalIds extends UuidUploadIdFactory {

    @Override
    protected Serializable getIdValueIfValid(String extractedUrlId) {
        return UploadId.isValid(extractedUrlId) ? UUID.fromString(extractedUrlId) : null;
    }
}
