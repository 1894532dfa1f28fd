package com.mediapipeline.redis;

/** Every Redis key and channel the service uses. */
public final class RedisKeys {

    private RedisKeys() {
    }

    /** Hash with an upload's status, offset, size, timestamps, owner and file metadata. */
    public static String upload(String uploadId) {
        return "upload:" + uploadId;
    }
}
