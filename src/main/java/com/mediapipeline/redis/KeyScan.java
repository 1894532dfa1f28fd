package com.mediapipeline.redis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.commands.KeyCommands;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks the keyspace by pattern, on every master: one SCAN answers for one node, and a Redis Cluster
 * spreads the keys over several (its replicas are skipped, since they hold the same keys, perhaps behind).
 * SCAN returns every key that exists for the whole walk, however long it takes.
 */
@ApplicationScoped
public class KeyScan {

    private static final int COUNT = 1000;

    @Inject
    UnifiedJedis redis;

    /**
     * The keys matching {@code match} (and of {@code type}, unless null) of about {@code budget} keys from
     * {@code cursor}. On a cluster the cursor also names the master it is on ({@code <n>:<cursor>}, the n-th in
     * address order), and the walk goes on to the next master when one is done; should the masters change
     * meanwhile, a walk may miss keys that moved, and finds them on its next round.
     */
    public ScanStep<String> step(String cursor, String match, String type, long budget) {
        if (!(redis instanceof JedisCluster cluster)) {
            return step(redis, cursor, match, type, budget);
        }
        List<String> masters = masters(cluster);
        int colon = cursor.indexOf(':');
        int node = colon < 0 ? 0 : Integer.parseInt(cursor.substring(0, colon));
        if (node >= masters.size()) {
            return new ScanStep<>(List.of(), ScanStep.START);
        }
        ScanStep<String> step = on(cluster, masters.get(node), master -> step(master, colon < 0 ? cursor : cursor.substring(colon + 1), match, type, budget));
        if (!step.wrapped()) {
            return new ScanStep<>(step.found(), node + ":" + step.cursor());
        }
        return new ScanStep<>(step.found(), node + 1 < masters.size() ? (node + 1) + ":" + ScanStep.START : ScanStep.START);
    }

    /** How many keys there are, on every master. */
    public long size() {
        if (!(redis instanceof JedisCluster cluster)) {
            return redis.dbSize();
        }
        return masters(cluster).stream().mapToLong(master -> on(cluster, master, Jedis::dbSize)).sum();
    }

    /** Every key matching the glob {@code pattern} of one Redis (not a cluster), of {@code type} unless null. */
    static Set<String> keys(UnifiedJedis redis, String pattern, String type) {
        Set<String> keys = new LinkedHashSet<>();
        ScanStep<String> step = new ScanStep<>(List.of(), ScanStep.START);
        do {
            step = step(redis, step.cursor(), pattern, type, Long.MAX_VALUE);
            keys.addAll(step.found());
        } while (!step.wrapped());
        return keys;
    }

    private static ScanStep<String> step(KeyCommands node, String cursor, String match, String type, long budget) {
        List<String> keys = new ArrayList<>();
        int count = (int) Math.max(1, Math.min(COUNT, budget));
        ScanParams params = new ScanParams().match(match).count(count);
        Function<String, ScanResult<String>> scan = type == null ? next -> node.scan(next, params) : next -> node.scan(next, params, type);
        String next = cursor;
        // SCAN's count is a hint of the work per call: a few calls of a bounded size, never one long one
        for (long looked = 0; looked < budget; looked += count) {
            ScanResult<String> page = scan.apply(next);
            keys.addAll(page.getResult());
            next = page.getCursor();
            if (ScanStep.START.equals(next)) {
                break;
            }
        }
        return new ScanStep<>(keys, next);
    }

    /** The masters' addresses (host:port, the keys of the cluster's pools), in a stable order. */
    private static List<String> masters(JedisCluster cluster) {
        return cluster.getClusterNodes().keySet().stream().filter(node -> "master".equals(on(cluster, node, jedis -> jedis.role().get(0))))
                .sorted().toList();
    }

    /** A call on one node of the cluster, by its address, on a connection of its pool. */
    private static <T> T on(JedisCluster cluster, String node, Function<Jedis, T> call) {
        try (Jedis jedis = new Jedis(cluster.getClusterNodes().get(node).getResource())) {
            return call.apply(jedis);
        }
    }
}
