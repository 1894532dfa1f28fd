package com.mediapipeline.ratelimit;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.errors.RetryLaterException;
import com.mediapipeline.redis.LeasedSlots;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisFailures;
import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * At most {@code mediapipeline.upload.max-concurrent-per-key} PATCHes of one business stream at
 * once, cluster-wide ({@link LeasedSlots}); this instance renews its slots every few seconds, so
 * that the slots of an instance that dies free themselves within {@link #LEASE} instead of locking
 * the business out for good.
 */
@ApplicationScoped
@RedisCall
public class StreamSlots {

    static final String SETTING = "mediapipeline.upload.max-concurrent-per-key";
    static final Duration LEASE = Duration.ofSeconds(30);
    /** A slot comes free when some PATCH ends, which nobody can foresee: a few seconds between tries. */
    static final long RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(StreamSlots.class.getName());
    @Inject
    @ConfigProperty(name = SETTING, defaultValue = "32")
    int max;

    @Inject
    UnifiedJedis redis;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private LeasedSlots slots;
    private ScheduledFuture<?> renewals;

    /** A slot that frees without checked exceptions. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    @PostConstruct
    void start() {
        InvalidSettingException.require(max >= 1, SETTING, "must be at least 1, was " + max);
        slots = new LeasedSlots(redis, LEASE);
        long every = LEASE.toMillis() / 3;
        renewals = scheduler.scheduleWithFixedDelay(slots::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        renewals.cancel(false);
    }

    /** A stream slot of the business for the current request, or 429 with Retry-After when all are taken. */
    public Slot take(String business) {
        Claim claim = claim(business);
        if (!slots.take(claim.key(), claim.member(), max)) {
            throw full();
        }
        return () -> release(claim.member());
    }

    /**
     * A slot of the business for a script that takes it along with other things: its key and member,
     * and {@link LeasedSlots#TAKE_SLOT}'s arguments after the key (cap, member, lease ms).
     */
    public record Claim(String key, String member, List<String> arguments) {
    }

    public Claim claim(String business) {
        String member = UUID.randomUUID().toString();
        return new Claim(RedisKeys.streams(business), member, List.of(Integer.toString(max), member, Long.toString(slots.leaseMillis())));
    }

    /** The claim's script took its slot: this instance renews it until {@link #released}. */
    public void taken(Claim claim) {
        slots.taken(claim.key(), claim.member());
    }

    /** The claim's script gave its slot back ({@link LeasedSlots#RELEASE_SLOT}), or failed to: it is renewed no more. */
    public void released(Claim claim) {
        slots.released(claim.member());
    }

    /** The answer when all the business's slots are taken. */
    public RetryLaterException full() {
        return new RetryLaterException("At most " + max + " uploads of this API key may receive bytes at once; retry after "
                + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
    }

    private void release(String id) {
        try {
            slots.release(id);
        } catch (JedisException e) {
            RedisFailures.log(LOG, "Could not free a stream slot at once (it expires within " + LEASE + ")", e);
        }
    }
}
