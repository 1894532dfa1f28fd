package com.mediapipeline.upload;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.LuaScript;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisFailures;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.ScriptCall;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Gauge;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * One writer per upload across every instance: a Redis lock with an expiry, so that a lock held by
 * a crashed instance, or by a request whose client stalled, passes on after
 * {@code mediapipeline.upload.lock-timeout}. A second writer is refused at once (423), not queued.
 * The holder renews its lease as its bytes flow; once it has lost the lease it writes nothing more.
 * <p>
 * Each lease has a generation, drawn from Redis' clock in microseconds, so that a later lease has a
 * larger one, even after Redis lost its keys: the store fences its writes with it. Should Redis'
 * clock step back (or a failover land on a replica whose clock is behind), new leases are refused
 * (423) until it catches up: availability is lost for that while, never bytes.
 */
@ApplicationScoped
@RedisCall
public class UploadLocks implements WriteGuard {

    private static final Logger LOG = Logger.getLogger(UploadLocks.class.getName());
    static final String TIMEOUT_SETTING = "mediapipeline.upload.lock-timeout";
    /**
     * Lua: takes the lock at {@code key} for {@code timeout} ms, answering the new lease's generation,
     * or false while someone holds it. A write after TIME is allowed since Redis 5, which replicates
     * scripts by their effects. A function, so that a PATCH takes it in its admission's script.
     */
    static final String ACQUIRE_LOCK = """
            local function acquire_lock(key, timeout)
              local now = redis.call('TIME')
              local generation = now[1] .. string.format('%06d', tonumber(now[2]))
              if redis.call('SET', key, generation, 'NX', 'PX', timeout) then return generation end
              return false
            end
            """;
    /** Lua: releases the lock at {@code key} if the lease {@code token} still holds it. */
    static final String RELEASE_LOCK = """
            local function release_lock(key, token)
              if redis.call('GET', key) == token then return redis.call('DEL', key) end
              return 0
            end
            """;
    private static final LuaScript ACQUIRE = new LuaScript(ACQUIRE_LOCK + "return acquire_lock(KEYS[1], ARGV[1])");
    /** A lease that lapsed while nobody else took it is taken again: the fence tells if anyone wrote meanwhile. */
    private static final LuaScript RENEW = new LuaScript("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
            return 0
            """);
    private static final LuaScript RELEASE = new LuaScript(RELEASE_LOCK + "return release_lock(KEYS[1], ARGV[1])");

    @Inject
    @ConfigProperty(name = TIMEOUT_SETTING, defaultValue = "PT30S")
    Duration timeout;

    @Inject
    UnifiedJedis redis;

    /** The lease the current request thread holds, if any. */
    private final ThreadLocal<Lease> held = new ThreadLocal<>();
    private final AtomicInteger writing = new AtomicInteger();

    /**
     * Our hold on an upload: renewed a third of the way through, surely ours until {@code expiresAtMillis}.
     * A lease whose release runs in a script of its own ({@link #adopt}) has an {@code ending} to take
     * the request's last status write along.
     */
    private record Lease(String uploadId, String key, String token, long renewAfterMillis, long expiresAtMillis, Ending ending) {
        long generation() {
            return Long.parseLong(token);
        }
    }

    /** A lock that closes without checked exceptions. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** The end of an adopted lease: its release, with the script call handed to it meanwhile (or null). */
    interface Release {
        void run(ScriptCall along);
    }

    /** An adopted lease's release and what it takes along. */
    private static final class Ending {
        private final Release release;
        private ScriptCall along;

        Ending(Release release) {
            this.release = release;
        }
    }

    @PostConstruct
    void validate() {
        InvalidSettingException.require(timeout.toMillis() >= 1000, TIMEOUT_SETTING,
                "must be an ISO-8601 duration of at least a second, was " + timeout);
    }

    /** Locks the upload for the current request, or answers 423 when another request holds it. */
    public Held lock(String business, String uploadId) {
        long now = System.currentTimeMillis();
        String key = RedisKeys.uploadLock(business, uploadId);
        String token = acquire(key).orElseThrow(() -> new ApiException(ErrorCode.LOCKED));
        return hold(uploadId, key, token, now, null, () -> release(uploadId, key, token));
    }

    /**
     * Holds, for the current request, a lease that a script of its own took with {@link #ACQUIRE_LOCK}
     * (asked at {@code askedAtMillis}) and that {@code release} gives back with {@link #RELEASE_LOCK}.
     */
    Held adopt(String business, String uploadId, String token, long askedAtMillis, Release release) {
        Ending ending = new Ending(release);
        return hold(uploadId, RedisKeys.uploadLock(business, uploadId), token, askedAtMillis, ending, () -> ending.release.run(ending.along));
    }

    /**
     * Hands the current request's last status write of the upload to the release of its lease, when it
     * holds one that is released by a script of its own (a PATCH's): one round trip for both. False when
     * it holds none: the caller runs it now. A write handed over earlier runs now, so that writes keep their order.
     */
    public boolean releaseWith(String uploadId, ScriptCall write) {
        Lease lease = held.get();
        if (lease == null || lease.ending() == null || !lease.uploadId().equals(uploadId)) {
            return false;
        }
        ScriptCall earlier = lease.ending().along;
        lease.ending().along = write;
        if (earlier != null) {
            earlier.run(redis);
        }
        return true;
    }

    private Held hold(String uploadId, String key, String token, long askedAtMillis, Ending ending, Runnable release) {
        held.set(lease(uploadId, key, token, askedAtMillis, ending));
        writing.incrementAndGet();
        return () -> {
            writing.decrementAndGet();
            held.remove();
            release.run();
        };
    }

    @Gauge(name = "uploads.active", absolute = true, unit = MetricUnits.NONE, description = "Uploads receiving bytes on this instance")
    public int activeUploads() {
        return writing.get();
    }

    /** Locks the upload if nobody holds it, for work outside a request (the cleanup sweep). */
    public Optional<Held> tryLock(String business, String uploadId) {
        String key = RedisKeys.uploadLock(business, uploadId);
        return acquire(key).map(token -> () -> release(uploadId, key, token));
    }

    @Idempotent
    public boolean isLocked(String business, String uploadId) {
        return redis.exists(RedisKeys.uploadLock(business, uploadId));
    }

    @Override
    public OptionalLong generation(String uploadId) {
        Lease lease = held.get();
        return lease != null && lease.uploadId().equals(uploadId) ? OptionalLong.of(lease.generation()) : OptionalLong.empty();
    }

    @Override
    public void confirm(String uploadId) throws LockLostException {
        Lease lease = held.get();
        long now = System.currentTimeMillis();
        if (lease == null || !lease.uploadId().equals(uploadId) || now < lease.renewAfterMillis()) {
            return;
        }
        Object renewed;
        try {
            renewed = RENEW.run(redis, List.of(lease.key()),
                    List.of(lease.token(), Long.toString(timeout.toMillis())));
        } catch (JedisException e) {
            // a fault would fail every renewal: writing on would only defer it to a 423 that blames another request
            if (!RedisFailures.outage(e)) {
                throw e;
            }
            // nobody can take the lock while Redis is away, and not before it expires there: write on until then
            if (now < lease.expiresAtMillis()) {
                return;
            }
            throw new LockLostException(uploadId);
        }
        // gone or someone else's: the lock expired while this request stalled (or Redis lost it); stop writing
        if (!Long.valueOf(1).equals(renewed)) {
            throw new LockLostException(uploadId);
        }
        held.set(lease(uploadId, lease.key(), lease.token(), now, lease.ending()));
    }

    /** {@link #ACQUIRE_LOCK}'s argument: how long a lease lasts unless renewed, in ms. */
    String leaseMillis() {
        return Long.toString(timeout.toMillis());
    }

    /** The lease's token is its generation. */
    private Optional<String> acquire(String key) {
        Object generation = ACQUIRE.run(redis, List.of(key), List.of(leaseMillis()));
        return Optional.ofNullable((String) generation);
    }

    /** A release that fails (Redis away, or a fault) must not fail a request whose bytes are stored: the lock expires by itself. */
    private void release(String uploadId, String key, String token) {
        try {
            RELEASE.run(redis, List.of(key), List.of(token));
        } catch (JedisException e) {
            RedisFailures.log(LOG, "Could not release the lock of upload " + uploadId + " (it expires within " + timeout + ")", e);
        }
    }

    /** Counted from before the SET or PEXPIRE: the lease never outlives the key in Redis. */
    private Lease lease(String uploadId, String key, String token, long askedAtMillis, Ending ending) {
        return new Lease(uploadId, key, token, askedAtMillis + timeout.toMillis() / 3, askedAtMillis + timeout.toMillis(), ending);
    }
}
