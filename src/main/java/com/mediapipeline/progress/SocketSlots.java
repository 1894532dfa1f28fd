package com.mediapipeline.progress;

import com.mediapipeline.errors.InvalidSettingException;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.JedisPooled;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * At most {@code mediapipeline.websocket.max-per-key} open progress sockets per business, counted
 * cluster-wide in one Redis sorted set per business: a member per socket, scored with the time its
 * lease ends. Each instance renews the leases of its own sockets ({@link #renew}, every ping
 * interval); the sockets of an instance that died stop being renewed and drop out of the count
 * once their lease has passed, with no sweeper and no per-instance bookkeeping to repair.
 */
@ApplicationScoped
@RedisCall
public class SocketSlots {

    static final String CAP_SETTING = "mediapipeline.websocket.max-per-key";
    /** Three missed renewals (one per ping interval) before a socket no longer counts. */
    static final long LEASE_MILLIS = 3 * SocketRegistry.PING_SECONDS * 1000;
    // taking a slot twice for one socket counts it once (a member already counted keeps its slot)
    private static final String TAKE = """
            local clock = redis.call('TIME')
            local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if not redis.call('ZSCORE', KEYS[1], ARGV[2])
                and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
            return 1
            """;
    // XX: a slot released meanwhile stays released rather than counting until its lease ends
    private static final String RENEW = """
            local clock = redis.call('TIME')
            local until = clock[1] * 1000 + math.floor(clock[2] / 1000) + tonumber(ARGV[1])
            for i = 2, #ARGV do
              redis.call('ZADD', KEYS[1], 'XX', until, ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
            return 0
            """;

    @Inject
    @ConfigProperty(name = CAP_SETTING, defaultValue = "256")
    int cap;

    @Inject
    JedisPooled redis;

    private final String instance = UUID.randomUUID().toString();
    /** The slots this instance holds: socket member to business. */
    private final Map<String, String> held = new ConcurrentHashMap<>();

    void startEagerly(@Observes @Initialized(ApplicationScoped.class) Object start) {
        // observing start-up creates the bean now, so that a bad setting fails the deployment
    }

    @PostConstruct
    void validate() {
        InvalidSettingException.require(cap >= 1, CAP_SETTING, "must be at least 1, was " + cap);
    }

    /** Takes a slot of the business for the socket; false when the business has all of its sockets open. */
    boolean take(String business, String socketId) {
        String member = instance + ":" + socketId;
        boolean taken = ((Long) redis.eval(TAKE, List.of(RedisKeys.webSockets(business)),
                List.of(Integer.toString(cap), member, Long.toString(LEASE_MILLIS)))) == 1;
        if (taken) {
            held.put(member, business);
        }
        return taken;
    }

    /** Gives the socket's slot back, if it had one. */
    void release(String socketId) {
        String member = instance + ":" + socketId;
        String business = held.remove(member);
        if (business != null) {
            redis.zrem(RedisKeys.webSockets(business), member);
        }
    }

    /** Extends the leases of every slot this instance holds. */
    void renew() {
        Map<String, List<String>> byBusiness = held.entrySet().stream().collect(Collectors.groupingBy(
                Map.Entry::getValue, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        byBusiness.forEach((business, members) -> {
            List<String> args = new ArrayList<>(List.of(Long.toString(LEASE_MILLIS)));
            args.addAll(members);
            redis.eval(RENEW, List.of(RedisKeys.webSockets(business)), args);
        });
    }
}
