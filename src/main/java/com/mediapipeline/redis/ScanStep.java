package com.mediapipeline.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of a walk over the keyspace that goes on in later calls, even on other instances: what a SCAN
 * from a cursor found (keys, or what the caller made of them) while looking at about a budget of keys,
 * and the cursor to go on from. SCAN returns every key that exists for the whole walk, however long it takes.
 */
public record ScanStep(List<String> found, String cursor) {

    public static final String START = ScanParams.SCAN_POINTER_START;
    private static final int COUNT = 1000;

    /** Whether the walk came round: the next step starts again from the beginning. */
    public boolean wrapped() {
        return START.equals(cursor);
    }

    /** The keys matching {@code match} (and of {@code type}, unless null) of about {@code budget} keys from {@code cursor}. */
    public static ScanStep scan(UnifiedJedis redis, String cursor, String match, String type, long budget) {
        List<String> keys = new ArrayList<>();
        int count = (int) Math.max(1, Math.min(COUNT, budget));
        ScanParams params = new ScanParams().match(match).count(count);
        String next = cursor;
        // SCAN's count is a hint of the work per call: a few calls of a bounded size, never one long one
        for (long looked = 0; looked < budget; looked += count) {
            ScanResult<String> page = type == null ? redis.scan(next, params) : redis.scan(next, params, type);
            keys.addAll(page.getResult());
            next = page.getCursor();
            if (START.equals(next)) {
                break;
            }
        }
        return new ScanStep(keys, next);
    }
}
