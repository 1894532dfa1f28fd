package com.mediapipeline.redis;

import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

import java.util.NoSuchElementException;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Redis failures are outages: Redis away or refusing for a while, which a retry later gets past
 * (503 {@code redis_unavailable}). Everything else (a CROSSSLOT, a WRONGTYPE, a Lua error, a NOSCRIPT
 * that escaped, a refused password) is a fault of our code, data or setup that no retry mends: it must
 * show as a bug (500, its stack trace logged), not send clients and operators looking for an outage.
 * <p>
 * {@code OOM} and {@code MISCONF} count as outages: Redis refuses writes for a state of its own (memory
 * full under {@code noeviction}, a disk that failed a snapshot) that our keys' expiry or an operator
 * ends, while the request itself is sound and succeeds once it has.
 */
public final class RedisFailures {

    /**
     * The error replies that mean Redis cannot serve for now: loading its data, a master demoted by a
     * failover ({@code READONLY}, and {@code UNBLOCKED} for a blocking read cut by it), a replica cut
     * from its master, a cluster down or moving a slot, a script running too long, too few replicas,
     * and the states above.
     */
    private static final Set<String> TEMPORARY = Set.of("LOADING", "READONLY", "UNBLOCKED", "MASTERDOWN", "CLUSTERDOWN",
            "TRYAGAIN", "BUSY", "NOREPLICAS", "OOM", "MISCONF");
    /** Redis before 7 wraps an error inside a script in an ERR of its own, with the error's code after a dash. */
    private static final Pattern IN_SCRIPT = Pattern.compile("^ERR Error running script .*? -([A-Z]+) ");
    /** The cluster client's own check that a command's keys share a slot: our mistake, never the cluster's state. */
    private static final String CROSS_SLOT = "Keys must belong to same hashslot";
    /** What Jedis' Response says when asked for a reply its pipeline never got. */
    private static final String UNSET_REPLY = "Please close pipeline or multi block";
    /** What commons-pool says when asked for a connection of a pool that was closed. */
    private static final String POOL_CLOSED = "Pool not open";

    private RedisFailures() {
    }

    public static boolean outage(RuntimeException failure) {
        if (failure instanceof IllegalStateException) {
            // a cluster pipeline leaves the replies of a node it lost unset, and logs the connection's failure
            return failure.getMessage() != null && failure.getMessage().startsWith(UNSET_REPLY);
        }
        if (failure instanceof JedisConnectionException || failure instanceof JedisRedirectionException) {
            // a pipeline follows no redirect: a slot that moved (a failover, a resharding) under it says so
            return true;
        }
        if (failure instanceof JedisClusterOperationException) {
            // no reachable node, no attempts or time left, slots not all served
            return failure.getMessage() == null || !failure.getMessage().startsWith(CROSS_SLOT);
        }
        if (failure instanceof JedisDataException) {
            return TEMPORARY.contains(code(failure.getMessage()));
        }
        // the pool had no connection free within its wait, or was closed under us as a Sentinel failover replaced it
        return failure instanceof JedisException && (failure.getCause() instanceof NoSuchElementException
                || failure.getCause() instanceof IllegalStateException closed && POOL_CLOSED.equals(closed.getMessage()));
    }

    /** Logs a failure the caller gets past: one line for an outage, which passes; the stack trace for a fault, which someone must fix. */
    public static void log(Logger log, String what, RuntimeException failure) {
        if (outage(failure)) {
            log.warning(what + ": " + failure.getMessage());
        } else {
            log.log(Level.SEVERE, what + ": a fault of the code, the data or the setup, not an outage", failure);
        }
    }

    /** An error reply's code: its first word ({@code ERR}, {@code WRONGTYPE}, {@code LOADING}), or the code inside a script's error. */
    private static String code(String message) {
        if (message == null) {
            return "";
        }
        Matcher inScript = IN_SCRIPT.matcher(message);
        if (inScript.find()) {
            return inScript.group(1);
        }
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
