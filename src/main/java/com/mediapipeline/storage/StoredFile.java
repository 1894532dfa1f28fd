package com.mediapipeline.storage;

import java.nio.file.Path;
import java.time.Instant;

/** A completed upload ready to be read: its bytes and what the download headers say about them. */
public record StoredFile(String id, Path data, long size, String filename, String contentType, Instant lastModified) {

    public String etag() {
        return id + "-" + size;
    }
}
