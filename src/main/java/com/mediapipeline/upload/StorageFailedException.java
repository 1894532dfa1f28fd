package com.mediapipeline.upload;

import java.io.IOException;

/**
 * The disk refused bytes (full, failing): the upload is marked failed, earlier bytes are kept. The
 * message goes to clients, so it names the reason plainly; the file system's words (with paths)
 * stay in the log.
 */
public class StorageFailedException extends IOException {

    public StorageFailedException(IOException cause) {
        super("could not store the bytes: " + (isDiskFull(cause) ? "the disk is full" : "the disk refused them"), cause);
    }

    private static boolean isDiskFull(IOException cause) {
        return String.valueOf(cause.getMessage()).contains("No space left");
    }
}
