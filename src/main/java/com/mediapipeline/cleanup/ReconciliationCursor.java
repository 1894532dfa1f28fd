package com.mediapipeline.cleanup;

import com.mediapipeline.redis.KeyScan;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.ScanStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;

import java.util.Map;

/**
 * Where the reconciliation goes on, kept in Redis: whichever instance runs the next sweep does the next
 * slice, and a slice that failed is done again rather than skipped.
 */
@ApplicationScoped
@RedisCall
public class ReconciliationCursor {

    static final String FOLDERS = "folders";
    private static final String HASHES = "hashes";
    private static final String INDEXES = "indexes";

    @Inject
    UnifiedJedis redis;

    @Inject
    KeyScan keyScan;

    /** The start of the next folder slice, and the scan cursors of the walks over status hashes and listing indexes. */
    record Position(int folders, String hashes, String indexes) {
    }

    Position read() {
        Map<String, String> saved = redis.hgetAll(RedisKeys.RECONCILIATION);
        String folders = saved.getOrDefault(FOLDERS, "0");
        return new Position(folders.matches("\\d{1,5}") ? Integer.parseInt(folders) : 0,
                saved.getOrDefault(HASHES, ScanStep.START), saved.getOrDefault(INDEXES, ScanStep.START));
    }

    void save(Position position) {
        redis.hset(RedisKeys.RECONCILIATION, Map.of(FOLDERS, Integer.toString(position.folders()),
                HASHES, position.hashes(), INDEXES, position.indexes()));
    }

    /** How many keys Redis holds: a walk's share of them per sweep sets how far it goes. */
    long keys() {
        return keyScan.size();
    }
}
