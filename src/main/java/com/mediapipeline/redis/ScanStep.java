package com.mediapipeline.redis;

import redis.clients.jedis.params.ScanParams;

import java.util.List;

/**
 * One step of a walk over the keyspace that goes on in later calls, even on other instances: what a SCAN
 * from a cursor found (keys, or what the caller made of them) while looking at about a budget of keys,
 * and the cursor to go on from (see {@link KeyScan#step}).
 */
public record ScanStep<T>(List<T> found, String cursor) {

    public static final String START = ScanParams.SCAN_POINTER_START;

    /** Whether the walk came round: the next step starts again from the beginning. */
    public boolean wrapped() {
        return START.equals(cursor);
    }
}
