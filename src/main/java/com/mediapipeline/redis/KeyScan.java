package com.mediapipeline.redis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Finds keys by pattern on every master: one SCAN answers for one node, and a Redis Cluster spreads
 * the keys over several (its replicas are skipped, since they hold the same keys, perhaps behind).
 */
@ApplicationScoped
public class KeyScan {

    private static final int PAGE = 1000;

    @Inject
    UnifiedJedis redis;

    /** The keys matching the glob {@code pattern}, of the given type ({@code null}: any). */
    public Set<String> keys(String pattern, String type) {
        return keys(redis, pattern, type);
    }

    static Set<String> keys(UnifiedJedis redis, String pattern, String type) {
        Set<String> keys = new LinkedHashSet<>();
        ScanParams match = new ScanParams().match(pattern).count(PAGE);
        if (redis instanceof JedisCluster cluster) {
            for (ConnectionPool pool : cluster.getClusterNodes().values()) {
                try (Jedis node = new Jedis(pool.getResource())) {
                    if ("master".equals(node.role().get(0))) {
                        scan(keys, cursor -> type == null ? node.scan(cursor, match) : node.scan(cursor, match, type));
                    }
                }
            }
        } else {
            scan(keys, cursor -> type == null ? redis.scan(cursor, match) : redis.scan(cursor, match, type));
        }
        return keys;
    }

    private static void scan(Set<String> keys, Function<String, ScanResult<String>> page) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> result = page.apply(cursor);
            keys.addAll(result.getResult());
            cursor = result.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }
}
