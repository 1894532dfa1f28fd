package com.mediapipeline.testing;

import com.mediapipeline.redis.RedisConnection;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.RedisUrl;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.SafeEncoder;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A second, independent connection to the Redis the service uses, to check what it stored. */
public final class TestRedis {

    private static UnifiedJedis client;

    private TestRedis() {
    }

    public static synchronized UnifiedJedis client() {
        if (client == null) {
            client = RedisConnection.open(RedisUrl.parse(TestEnvironment.redisUrl()).orElseThrow());
        }
        return client;
    }

    /** Deletes the keys one by one: on a Redis Cluster, one DEL of keys in several slots is refused. */
    public static void delete(String... keys) {
        for (String key : keys) {
            client().del(key);
        }
    }

    /** The keys matching {@code pattern}: on a Redis Cluster, those of every master (KEYS answers for one node only). */
    public static Set<String> keys(String pattern) {
        if (!(client() instanceof JedisCluster cluster)) {
            return client().keys(pattern);
        }
        Set<String> keys = new HashSet<>();
        onEveryNode(cluster, node -> "master".equals(node.role().get(0)) ? keys.addAll(node.keys(pattern)) : null);
        return keys;
    }

    /**
     * How many connections subscribe to {@code channel}: on a Redis Cluster, summed over its nodes, since
     * PUBSUB NUMSUB counts the subscribers of the node it asks, and a subscriber may use any node.
     */
    public static long subscribers(String channel) {
        long[] count = {0};
        if (client() instanceof JedisCluster cluster) {
            onEveryNode(cluster, node -> count[0] += numsub(node.sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel)));
        } else {
            count[0] = numsub(client().sendCommand(Protocol.Command.PUBSUB, "NUMSUB", channel));
        }
        return count[0];
    }

    /**
     * How often Redis ran the commands whose names match the regex {@code command} (INFO commandstats): on a
     * Redis Cluster, summed over its masters.
     */
    public static long calls(String command) {
        long[] calls = {0};
        if (client() instanceof JedisCluster cluster) {
            onEveryNode(cluster, node -> "master".equals(node.role().get(0)) ? calls[0] += calls(node.info("commandstats"), command) : null);
        } else {
            calls[0] = calls(SafeEncoder.encode((byte[]) client().sendCommand(Protocol.Command.INFO, "commandstats")), command);
        }
        return calls[0];
    }

    private static long calls(String commandstats, String command) {
        Matcher stat = Pattern.compile("cmdstat_(?:" + command + "):calls=(\\d+)").matcher(commandstats);
        long calls = 0;
        while (stat.find()) {
            calls += Long.parseLong(stat.group(1));
        }
        return calls;
    }

    /** Makes Redis forget every script: on a Redis Cluster, every node. */
    public static void flushScripts() {
        if (client() instanceof JedisCluster cluster) {
            onEveryNode(cluster, Jedis::scriptFlush);
        } else {
            client().scriptFlush();
        }
    }

    private static long numsub(Object reply) {
        return (Long) ((List<?>) reply).get(1);
    }

    private static void onEveryNode(JedisCluster cluster, Function<Jedis, Object> call) {
        for (ConnectionPool pool : cluster.getClusterNodes().values()) {
            try (Connection connection = pool.getResource()) {
                call.apply(new Jedis(connection));
            }
        }
    }

    /** The status hash of an upload of {@link TestEnvironment#ACME}. */
    public static Map<String, String> uploadHash(String uploadId) {
        return uploadHash(TestEnvironment.ACME, uploadId);
    }

    public static Map<String, String> uploadHash(String business, String uploadId) {
        return client().hgetAll(RedisKeys.upload(business, uploadId));
    }

    /** Waits until a request (a PATCH that has begun) holds the upload's write lock. */
    public static void awaitLocked(String uploadId) {
        Await.until(Duration.ofSeconds(10), "a request to hold the write lock of " + uploadId,
                () -> isLocked(uploadId));
    }

    /**
     * Waits until a PATCH under a lease has reported bytes of the upload (the status hash names its
     * lease as {@code writer}). Unlike the lock, which may come and go between two looks, this stays.
     */
    public static void awaitLeasedWrite(String uploadId) {
        Await.until(Duration.ofSeconds(30), "a PATCH under a lease to report bytes of " + uploadId,
                () -> client().hexists(RedisKeys.upload(TestEnvironment.ACME, uploadId), "writer"));
    }

    /** Whether the write lock of the upload (of acme) is held now. */
    public static boolean isLocked(String uploadId) {
        return client().exists(RedisKeys.uploadLock(TestEnvironment.ACME, uploadId));
    }

    /** Waits until nobody holds the upload's write lock: its holder released it, or stalled past its lease. */
    public static void awaitUnlocked(String uploadId) {
        Await.until(Duration.ofSeconds(TestEnvironment.LOCK_TIMEOUT_SECONDS + 10L), "the write lock of " + uploadId
                + " to be released or to expire", () -> !isLocked(uploadId));
    }
}
