package com.mediapipeline.upload;

import java.util.Map;
import java.util.Optional;

/**
 * Asked before anything of a new upload is stored, once its request has passed every check of its
 * own: may refuse the upload (by throwing an ApiException) or give it other metadata. The pre-create
 * hook of webhooks/ is the one there is; the upload component knows it only as this, as it knows
 * progress/ only as an {@link UploadListener}.
 */
@FunctionalInterface
public interface CreationHook {

    /**
     * The other metadata to create the upload with, encoded as {@code Upload-Metadata}, or nothing to
     * keep the request's.
     */
    Optional<String> admit(Creation creation);

    /**
     * An upload about to be created: its business and creator, its size (null when deferred), its
     * metadata decoded, and whether it came as IETF Resumable Uploads rather than TUS.
     */
    record Creation(String business, String username, Long size, Map<String, String> metadata, boolean ietf) {
    }
}
