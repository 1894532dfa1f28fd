package com.mediapipeline.upload;

import me.desair.tus.server.upload.UuidUploadIdFactory;

import java.io.Serializable;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Upload ids are the service's own random UUIDs in canonical lowercase form, nothing else: an id
 * is a file name on disk, so every path parameter is checked against this before it is used.
 */
public final class UploadIds extends UuidUploadIdFactory {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public static boolean isValid(String id) {
        return id != null && CANONICAL.matcher(id).matches();
    }

    @Override
    protected Serializable getIdValueIfValid(String extractedUrlId) {
        return isValid(extractedUrlId) ? UUID.fromString(extractedUrlId) : null;
    }
}
