package com.mediapipeline.redis;

/** Every Redis key and channel the service uses. */
public final class RedisKeys {

    private RedisKeys() {
    }

    /** The one pub/sub channel of progress events of every upload; each instance subscribes once. */
    public static final String PROGRESS_CHANNEL = "progress";

    /** Hash with an upload's status, offset, size, timestamps, owner and file metadata. */
    public static String upload(String uploadId) {
        return "upload:" + uploadId;
    }

    /** A single-use WebSocket ticket: who may watch which upload, for 60 seconds. */
    public static String ticket(String ticket) {
        return "ticket:" + ticket;
    }

    /** The lock of the one request allowed to write to an upload, cluster-wide; it expires if its holder dies. */
    public static String uploadLock(String uploadId) {
        return "lock:upload:" + uploadId;
    }

    /** The token bucket of one caller (an API key's hash, or an address for calls without a known key). */
    public static String rateLimit(String caller) {
        return "ratelimit:" + caller;
    }

    /** The PATCHes of one business streaming now, cluster-wide: slot ids scored by when they expire unless renewed. */
    public static String streams(String business) {
        return "streams:" + business;
    }

    /** Sorted set of a business's open progress sockets (instance:session), scored with the end of each one's lease. */
    public static String webSockets(String business) {
        return "websockets:" + business;
    }

    /** Marks a deleted upload for a while, so that a PATCH still streaming cannot bring its status back. */
    public static String deleted(String uploadId) {
        return "deleted:" + uploadId;
    }

    /** Held by the instance running the current cleanup sweep. */
    public static final String SWEEP_LOCK = "lock:cleanup-sweep";
}
