package com.mediapipeline.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replies below are the ones Redis 7.0 and 6.2 (the embedded server) give; Jedis keeps them as the message. */
class RedisFailuresTest {

    @Test
    void aBrokenOrRefusedConnectionIsAnOutage() {
        assertTrue(RedisFailures.outage(new JedisConnectionException("Unexpected end of stream.")));
        assertTrue(RedisFailures.outage(new JedisConnectionException(new SocketTimeoutException("Read timed out"))));
    }

    /**
     * The pool's wait for a free connection ran out ({@code Pool.getResource}): too busy for now; or a
     * Sentinel failover closed the pool a request was taking a connection from.
     */
    @Test
    void noConnectionFromThePoolIsAnOutage() {
        assertTrue(RedisFailures.outage(new JedisException("Could not get a resource from the pool",
                new NoSuchElementException("Timeout waiting for idle object"))));
        assertTrue(RedisFailures.outage(new JedisException("Could not get a resource from the pool", new IllegalStateException("Pool not open"))));
        assertFalse(RedisFailures.outage(new JedisException("Could not return the resource to the pool",
                new IllegalStateException("Object has already been returned to this pool or is invalid"))));
    }

    /**
     * A cluster pipeline follows no redirect, and leaves the replies of a node it lost unset (Jedis'
     * Response then refuses with an IllegalStateException): a failover under it, not a fault.
     */
    @Test
    void aPipelineCaughtInAFailoverIsAnOutage() {
        assertTrue(RedisFailures.outage(new JedisMovedDataException("MOVED 3999 127.0.0.1:6381", HostAndPort.from("127.0.0.1:6381"), 3999)));
        assertTrue(RedisFailures.outage(new IllegalStateException("Please close pipeline or multi block before calling this method.")));
        assertFalse(RedisFailures.outage(new IllegalStateException("a bug of ours")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"No more cluster attempts left.", "Cluster retry deadline exceeded.", "No reachable node in cluster.",
            "Cluster slots have holes."})
    void aClusterThatCannotBeReachedIsAnOutage(String message) {
        assertTrue(RedisFailures.outage(new JedisClusterOperationException(message)));
    }

    /** The cluster client refuses a command whose keys are in several slots before sending it: our bug, whatever the cluster's state. */
    @Test
    void keysInSeveralSlotsAreAFault() {
        assertFalse(RedisFailures.outage(new JedisClusterOperationException("Keys must belong to same hashslot.")));
        assertFalse(RedisFailures.outage(new JedisDataException("CROSSSLOT Keys in request don't hash to the same slot")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "LOADING Redis is loading the dataset in memory",
            "READONLY You can't write against a read only replica.",
            "READONLY You can't write against a read only replica. script: 4f939367eaed7accaa7030e7ae2a1fc95f7f3497, on @user_script:1.",
            "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
            "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
            "TRYAGAIN Multiple keys request during rehashing of slot",
            "NOREPLICAS Not enough good replicas to write.",
            "OOM command not allowed when used memory > 'maxmemory'.",
            "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk."})
    void aServerThatRefusesForNowIsAnOutage(String reply) {
        assertTrue(RedisFailures.outage(new JedisDataException(reply)));
    }

    @Test
    void aBusyOrDownClusterIsAnOutage() {
        assertTrue(RedisFailures.outage(new JedisBusyException("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.")));
        assertTrue(RedisFailures.outage(new JedisClusterException("CLUSTERDOWN The cluster is down")));
    }

    /** Redis 6 wraps an error inside a script in an ERR of its own: the code inside decides. */
    @Test
    void aRedis6ScriptErrorIsJudgedByTheErrorInside() {
        assertTrue(RedisFailures.outage(new JedisDataException("ERR Error running script (call to f_4f939367eaed7accaa7030e7ae2a1fc95f7f3497): "
                + "@user_script:1: @user_script: 1: -READONLY You can't write against a read only replica.")));
        assertTrue(RedisFailures.outage(new JedisDataException("ERR Error running script (call to f_4f939367eaed7accaa7030e7ae2a1fc95f7f3497): "
                + "@user_script:1: @user_script: 1: -OOM command not allowed when used memory > 'maxmemory'.")));
        assertFalse(RedisFailures.outage(new JedisDataException("ERR Error running script (call to f_2e9dc1eee79fed50b6f3a9088fab7b81cb333123): "
                + "@user_script:1: WRONGTYPE Operation against a key holding the wrong kind of value")));
        assertFalse(RedisFailures.outage(new JedisDataException("ERR Error running script (call to f_c7977cd7f36622d6ecd2600423927e1a1c3028b4): "
                + "@user_script:1: user_script:1: Script attempted to access nonexistent global variable 'x'")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "WRONGTYPE Operation against a key holding the wrong kind of value",
            "WRONGTYPE Operation against a key holding the wrong kind of value script: 2e9dc1eee79fed50b6f3a9088fab7b81cb333123, on @user_script:1.",
            "ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: c7977cd7f36622d6ecd2600423927e1a1c3028b4, on @user_script:1.",
            "ERR value is not an integer or out of range",
            "ERR unknown command 'NOSUCH', with args beginning with: ",
            "EXECABORT Transaction discarded because of previous errors."})
    void aCommandRedisRejectsIsAFault(String reply) {
        assertFalse(RedisFailures.outage(new JedisDataException(reply)));
    }

    @Test
    void anEscapedScriptMissOrRefusedLoginIsAFault() {
        assertFalse(RedisFailures.outage(new JedisNoScriptException("NOSCRIPT No matching script. Please use EVAL.")));
        assertFalse(RedisFailures.outage(new JedisAccessControlException("WRONGPASS invalid username-password pair or user is disabled.")));
        assertFalse(RedisFailures.outage(new JedisDataException((String) null)));
    }

    /** A fault is a bug to find: its stack trace goes to the log; an outage passes, one line says it. */
    @Test
    void aFaultIsLoggedWithItsStackTraceAndAnOutageInALine() {
        List<LogRecord> records = new ArrayList<>();
        Logger log = Logger.getAnonymousLogger();
        log.setUseParentHandlers(false);
        log.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        JedisDataException fault = new JedisDataException("WRONGTYPE Operation against a key holding the wrong kind of value");

        RedisFailures.log(log, "Redis call find failed", fault);
        RedisFailures.log(log, "Redis call find failed", new JedisConnectionException("Unexpected end of stream."));

        assertEquals(Level.SEVERE, records.get(0).getLevel());
        assertSame(fault, records.get(0).getThrown());
        assertEquals(Level.WARNING, records.get(1).getLevel());
        assertNull(records.get(1).getThrown());
    }
}
