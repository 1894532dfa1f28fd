package com.mediapipeline.storage;

import java.io.IOException;

/** The disk refused bytes (full, failing): the upload is marked failed, earlier bytes are kept. */
public class StorageFailedException extends IOException {

    public StorageFailedException(IOException cause) {
        super("could not store the bytes: " + cause.getMessage(), cause);
    }
}
