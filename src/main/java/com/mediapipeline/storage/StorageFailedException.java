package com.mediapipeline.storage;

import com.mediapipeline.errors.ErrorCode;

import java.io.IOException;

/**
 * The disk refused bytes (full, failing): the upload is marked failed, earlier bytes are kept. Its
 * message goes to the client, so it is the plain one: the cause's may name server paths, and stays
 * in the log.
 */
public class StorageFailedException extends IOException {

    public StorageFailedException(IOException cause) {
        super(ErrorCode.STORAGE_FAILED.message(), cause);
    }
}
