package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.ratelimit.Decision;
import com.mediapipeline.ratelimit.RateLimiter;
import com.mediapipeline.ratelimit.StreamSlots;
import com.mediapipeline.redis.LeasedSlots;
import com.mediapipeline.redis.LuaScript;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisFailures;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.ScriptCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A PATCH's start and end in one Redis round trip each: its rate-limit token, its business's stream
 * slot and the upload's write lock in one script, each as its own component does it alone (the script
 * is made of their Lua functions); and at its end the lock's and the slot's release in one script, with
 * the request's last status write when one is due ({@link UploadLocks#releaseWith}). Its keys are the
 * caller's and the upload's, all of one business.
 */
@ApplicationScoped
@RedisCall
public class PatchAdmission {

    private static final Logger LOG = Logger.getLogger(PatchAdmission.class.getName());
    /**
     * KEYS: token bucket, stream slots, upload lock. ARGV: rate, burst, then the slot's cap, member and lease
     * ms, then the lock's lease ms. Answers {allowed, tokens left} when refused a token, else
     * {1, tokens, 0} with every slot taken, {1, tokens, 1} with the lock held (its slot given back), or
     * {1, tokens, 1, generation}.
     */
    private static final LuaScript ADMIT = new LuaScript(RateLimiter.TAKE_TOKEN + LeasedSlots.TAKE_SLOT
            + LeasedSlots.RELEASE_SLOT + UploadLocks.ACQUIRE_LOCK + """
            local allowed, tokens = take_token(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
            if allowed == 0 then return {0, tokens} end
            if take_slot(KEYS[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])) == 0 then return {1, tokens, 0} end
            local generation = acquire_lock(KEYS[3], ARGV[6])
            if not generation then
              release_slot(KEYS[2], ARGV[4])
              return {1, tokens, 1}
            end
            return {1, tokens, 1, generation}
            """);
    /**
     * Releases the lock (the last key but one, if the lease in the last argument but one holds it) and the
     * slot (the last key, the member in the last argument), and takes those off KEYS and ARGV: the
     * script it comes before sees its own keys and arguments only.
     */
    private static final String RELEASE = UploadLocks.RELEASE_LOCK + LeasedSlots.RELEASE_SLOT + """
            do
              local slots, lock = table.remove(KEYS), table.remove(KEYS)
              local member, token = table.remove(ARGV), table.remove(ARGV)
              release_lock(lock, token)
              release_slot(slots, member)
            end
            """;
    private static final LuaScript RELEASE_ALONE = new LuaScript(RELEASE + "return 1");

    @Inject
    UnifiedJedis redis;

    @Inject
    RateLimiter limiter;

    @Inject
    StreamSlots slots;

    @Inject
    UploadLocks locks;

    /** The release followed by each script handed to it (a status write): a few constants, each made once. */
    private final Map<LuaScript, LuaScript> releasing = new ConcurrentHashMap<>();

    /**
     * What the start of a PATCH got: the caller's rate-limit decision and then either the lease it holds
     * or why it was refused, to be thrown once the decision is told.
     */
    public record Admission(Decision decision, UploadLocks.Held lease, RuntimeException refusal) {
    }

    /**
     * Takes a token of {@code bucket}, a stream slot of the business and the upload's lock, in this order
     * and all or nothing: a refused token answers an admission without a lease; refused with 429 when every
     * slot is taken, 423 when another request holds the lock.
     */
    public Admission admit(String bucket, String business, String uploadId) {
        StreamSlots.Claim slot = slots.claim(business);
        List<String> args = new ArrayList<>(limiter.arguments());
        args.addAll(slot.arguments());
        args.add(locks.leaseMillis());
        long askedAt = System.currentTimeMillis();
        List<?> answer = (List<?>) ADMIT.run(redis, List.of(RedisKeys.rateLimit(bucket), slot.key(), RedisKeys.uploadLock(business, uploadId)), args);
        Decision decision = limiter.decision((Long) answer.get(0), (String) answer.get(1));
        if (!decision.allowed()) {
            return new Admission(decision, null, null);
        }
        if (Long.valueOf(0).equals(answer.get(2))) {
            return new Admission(decision, null, slots.full());
        }
        if (answer.size() < 4) {
            return new Admission(decision, null, new ApiException(ErrorCode.LOCKED));
        }
        String token = (String) answer.get(3);
        slots.taken(slot);
        return new Admission(decision, locks.adopt(business, uploadId, token, askedAt, along -> release(business, uploadId, token, slot, along)), null);
    }

    /** A release that fails (Redis away, or a fault) must not fail a request whose bytes are stored: lock and slot expire by themselves. */
    private void release(String business, String uploadId, String token, StreamSlots.Claim slot, ScriptCall along) {
        LuaScript script = along == null ? RELEASE_ALONE : releasing.computeIfAbsent(along.script(), main -> new LuaScript(RELEASE + main.text()));
        List<String> keys = new ArrayList<>(along == null ? List.of() : along.keys());
        keys.addAll(List.of(RedisKeys.uploadLock(business, uploadId), slot.key()));
        List<String> args = new ArrayList<>(along == null ? List.of() : along.args());
        args.addAll(List.of(token, slot.member()));
        try {
            script.run(redis, keys, args);
        } catch (JedisException e) {
            RedisFailures.log(LOG, "Could not release the lock and slot of upload " + uploadId + (along == null ? "" : " nor write its status")
                    + " (they expire by themselves)", e);
        } finally {
            slots.released(slot);
        }
    }
}
