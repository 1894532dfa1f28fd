package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.InvalidSettingException;
import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.storage.WriteGuard;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Gauge;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One writer per upload across every instance: a Redis lock with an expiry, so that a lock held by
 * a crashed instance, or by a request whose client stalled, passes on after
 * {@code mediapipeline.upload.lock-timeout}. A second writer is refused at once (423), not queued.
 * The holder renews its lease as its bytes flow; once it has lost the lease it writes nothing more.
 */
@ApplicationScoped
@RedisCall
public class UploadLocks implements WriteGuard {

    static final String TIMEOUT_SETTING = "mediapipeline.upload.lock-timeout";
    private static final String RENEW =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
    private static final String RELEASE =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    @Inject
    @ConfigProperty(name = TIMEOUT_SETTING, defaultValue = "PT30S")
    Duration timeout;

    @Inject
    JedisPooled redis;

    /** The lease the current request thread holds, if any. */
    private final ThreadLocal<Lease> held = new ThreadLocal<>();
    private final AtomicInteger writing = new AtomicInteger();

    /** Our hold on an upload: renewed a third of the way through, surely ours until {@code expiresAtMillis}. */
    private record Lease(String uploadId, String token, long renewAfterMillis, long expiresAtMillis) {
    }

    /** A lock that closes without checked exceptions. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    void startEagerly(@Observes @Initialized(ApplicationScoped.class) Object start) {
        // observing start-up creates the bean now, so that a bad setting fails the deployment
    }

    @PostConstruct
    void validate() {
        InvalidSettingException.require(timeout.toMillis() >= 1000, TIMEOUT_SETTING,
                "must be an ISO-8601 duration of at least a second, was " + timeout);
    }

    /** Locks the upload for the current request, or answers 423 when another request holds it. */
    public Held lock(String uploadId) {
        long now = System.currentTimeMillis();
        String token = acquire(uploadId).orElseThrow(() -> new ApiException(ErrorCode.LOCKED));
        held.set(lease(uploadId, token, now));
        writing.incrementAndGet();
        return () -> {
            writing.decrementAndGet();
            held.remove();
            release(uploadId, token);
        };
    }

    @Gauge(name = "uploads.active", absolute = true, unit = MetricUnits.NONE, description = "Uploads receiving bytes on this instance")
    public int activeUploads() {
        return writing.get();
    }

    /** Locks the upload if nobody holds it, for work outside a request (the cleanup sweep). */
    public Optional<Held> tryLock(String uploadId) {
        return acquire(uploadId).map(token -> () -> release(uploadId, token));
    }

    @Idempotent
    public boolean isLocked(String uploadId) {
        return redis.exists(RedisKeys.uploadLock(uploadId));
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
            renewed = redis.eval(RENEW, List.of(RedisKeys.uploadLock(uploadId)),
                    List.of(lease.token(), Long.toString(timeout.toMillis())));
        } catch (JedisException redisAway) {
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
        held.set(lease(uploadId, lease.token(), now));
    }

    private Optional<String> acquire(String uploadId) {
        String token = UUID.randomUUID().toString();
        String answer = redis.set(RedisKeys.uploadLock(uploadId), token, SetParams.setParams().nx().px(timeout.toMillis()));
        return answer == null ? Optional.empty() : Optional.of(token);
    }

    private void release(String uploadId, String token) {
        redis.eval(RELEASE, List.of(RedisKeys.uploadLock(uploadId)), List.of(token));
    }

    /** Counted from before the SET or PEXPIRE: the lease never outlives the key in Redis. */
    private Lease lease(String uploadId, String token, long askedAtMillis) {
        return new Lease(uploadId, token, askedAtMillis + timeout.toMillis() / 3, askedAtMillis + timeout.toMillis());
    }
}
