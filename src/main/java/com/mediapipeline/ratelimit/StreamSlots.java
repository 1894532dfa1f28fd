package com.mediapipeline.ratelimit;

import com.mediapipeline.errors.InvalidSettingException;
import com.mediapipeline.errors.RetryLaterException;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * At most {@code mediapipeline.upload.max-concurrent-per-key} PATCHes of one business stream at
 * once, cluster-wide. Each holds a slot in a Redis sorted set, scored by when it expires; this
 * instance renews its slots every few seconds, so that the slots of an instance that dies free
 * themselves within {@link #LEASE} instead of locking the business out for good.
 */
@ApplicationScoped
@RedisCall
public class StreamSlots {

    static final String SETTING = "mediapipeline.upload.max-concurrent-per-key";
    static final Duration LEASE = Duration.ofSeconds(30);
    /** A slot comes free when some PATCH ends, which nobody can foresee: a few seconds between tries. */
    static final long RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(StreamSlots.class.getName());
    private static final String NOW = """
            local clock = redis.call('TIME')
            local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
            """;
    /** ARGV: cap, slot id, lease ms. */
    private static final String TAKE = NOW + """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;
    /** ARGV: lease ms, slot ids. Only slots still there are renewed: an expired one stays free. */
    private static final String RENEW = NOW + """
            for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """;

    @Inject
    @ConfigProperty(name = SETTING, defaultValue = "32")
    int max;

    @Inject
    JedisPooled redis;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** The slots this instance holds: slot id to its business's key. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private ScheduledFuture<?> renewals;

    /** A slot that frees without checked exceptions. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    void startEagerly(@Observes @Initialized(ApplicationScoped.class) Object start) {
        // observing start-up creates the bean now, so that a bad setting fails the deployment
    }

    @PostConstruct
    void start() {
        InvalidSettingException.require(max >= 1, SETTING, "must be at least 1, was " + max);
        long every = LEASE.toMillis() / 3;
        renewals = scheduler.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        renewals.cancel(false);
    }

    /** A stream slot of the business for the current PATCH, or 429 with Retry-After when all are taken. */
    public Slot take(String business) {
        String key = RedisKeys.streams(business);
        String id = UUID.randomUUID().toString();
        Object taken = redis.eval(TAKE, List.of(key), List.of(Integer.toString(max), id, Long.toString(LEASE.toMillis())));
        if (!Long.valueOf(1).equals(taken)) {
            throw new RetryLaterException("At most " + max + " uploads of this API key may receive bytes at once; retry after "
                    + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
        }
        held.put(id, key);
        return () -> release(id, key);
    }

    /** Unrenewed from now on, so a slot whose removal fails here still frees itself when its lease runs out. */
    private void release(String id, String key) {
        held.remove(id);
        try {
            redis.zrem(key, id);
        } catch (JedisException e) {
            LOG.warning("Could not free a stream slot at once (it expires within " + LEASE + "): " + e.getMessage());
        }
    }

    private void renew() {
        Map<String, List<String>> idsByKey = held.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        idsByKey.forEach((key, ids) -> {
            List<String> args = new ArrayList<>(List.of(Long.toString(LEASE.toMillis())));
            args.addAll(ids);
            try {
                redis.eval(RENEW, List.of(key), args);
            } catch (JedisException e) {
                LOG.warning("Could not renew the stream slots of " + key + ": " + e.getMessage());
            }
        });
    }
}
