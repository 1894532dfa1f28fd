package com.mediapipeline.upload;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An upload's id, one name for one thing: the last segment of its TUS URL, its status {@code token},
 * its storage {@code file_id} and its socket path. Always the service's own random UUID in canonical
 * lowercase form, nothing else: an id is a folder name on disk, so whatever a client sends is parsed
 * into this before it is used.
 */
public record UploadId(String value) {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public UploadId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("Not an upload id: " + value);
        }
    }

    /** The id a client sent, if it is one; anything else names no upload. */
    public static Optional<UploadId> parse(String text) {
        return isValid(text) ? Optional.of(new UploadId(text)) : Optional.empty();
    }

    public static boolean isValid(String text) {
        return text != null && CANONICAL.matcher(text).matches();
    }

    /** The same id as tus-java-server names it. */
    me.desair.tus.server.upload.UploadId forTus() {
        return new me.desair.tus.server.upload.UploadId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value;
    }
}
