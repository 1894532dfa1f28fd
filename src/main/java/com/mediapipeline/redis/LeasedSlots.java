package com.mediapipeline.redis;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A cluster-wide cap on things held at once (streaming PATCHes, open sockets of a business): one
 * Redis sorted set per key, a member per thing held, scored with the time its lease ends. The holder
 * renews the leases of what it holds; the members of an instance that died stop being renewed and
 * drop out of the count once their lease has passed, with no sweeper to run and nothing to repair.
 */
public final class LeasedSlots {

    private static final Logger LOG = Logger.getLogger(LeasedSlots.class.getName());
    private static final String NOW = """
            local clock = redis.call('TIME')
            local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
            """;
    /**
     * Lua: takes a slot under {@code key} for {@code member} (1), unless {@code cap} are held (0). A member
     * already counted keeps its slot: taking it twice counts it once. A function, for scripts that take a
     * slot along with other things (upload/PatchAdmission).
     */
    public static final String TAKE_SLOT = """
            local function take_slot(key, cap, member, lease)
            """ + NOW + """
              redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
              if not redis.call('ZSCORE', key, member) and redis.call('ZCARD', key) >= cap then
                return 0
              end
              redis.call('ZADD', key, now + lease, member)
              redis.call('PEXPIRE', key, lease)
              return 1
            end
            """;
    /** Lua: gives {@code member}'s slot under {@code key} back. */
    public static final String RELEASE_SLOT = """
            local function release_slot(key, member)
              redis.call('ZREM', key, member)
            end
            """;
    private static final LuaScript TAKE = new LuaScript(TAKE_SLOT
            + "return take_slot(KEYS[1], tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]))");
    /** ARGV: lease ms, members. XX: a member released meanwhile stays released. */
    private static final LuaScript RENEW = new LuaScript(NOW + """
            for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1
            """);

    private final UnifiedJedis redis;
    private final Duration lease;
    /** What this instance holds: member to its key. */
    private final Map<String, String> held = new ConcurrentHashMap<>();

    public LeasedSlots(UnifiedJedis redis, Duration lease) {
        this.redis = redis;
        this.lease = lease;
    }

    /** Takes a slot under {@code key} for {@code member}, unless {@code cap} of them are held. */
    public boolean take(String key, String member, int cap) {
        Object taken = TAKE.run(redis, List.of(key), List.of(Integer.toString(cap), member, Long.toString(lease.toMillis())));
        if (Long.valueOf(1).equals(taken)) {
            taken(key, member);
            return true;
        }
        return false;
    }

    /** The lease of a slot in milliseconds: {@link #TAKE_SLOT}'s last argument. */
    public long leaseMillis() {
        return lease.toMillis();
    }

    /** A slot that {@link #TAKE_SLOT} took in a caller's own script: this instance renews it from now on. */
    public void taken(String key, String member) {
        held.put(member, key);
    }

    /** Gives the member's slot back: unrenewed from now on, so that it frees itself even if the removal fails. */
    public void release(String member) {
        String key = held.remove(member);
        if (key != null) {
            redis.zrem(key, member);
        }
    }

    /** A slot that {@link #RELEASE_SLOT} gave back in a caller's own script (or tried to): no longer renewed. */
    public void released(String member) {
        held.remove(member);
    }

    /** Extends the leases of everything this instance holds; a key that fails is tried again next time. */
    public void renew() {
        Map<String, List<String>> byKey = held.entrySet().stream().collect(Collectors.groupingBy(Map.Entry::getValue,
                Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        byKey.forEach((key, members) -> {
            List<String> args = new ArrayList<>(List.of(Long.toString(lease.toMillis())));
            args.addAll(members);
            try {
                RENEW.run(redis, List.of(key), args);
            } catch (JedisException e) {
                RedisFailures.log(LOG, "Could not renew the slots of " + key + " (they last " + lease + ")", e);
            }
        });
    }
}
