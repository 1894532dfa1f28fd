package com.mediapipeline.auth;

import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Single-use WebSocket tickets for browsers, which cannot send headers on a WebSocket. Kept in
 * Redis, so that a ticket issued by one instance is accepted by any.
 */
@ApplicationScoped
@RedisCall
public class TicketStore {

    public static final Duration LIFETIME = Duration.ofSeconds(60);
    /** What a ticket for the socket of many uploads names instead of an upload: it opens that socket only. */
    public static final String FEED = "";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    UnifiedJedis redis;

    /** A new ticket for this caller to watch this upload, and when it expires. */
    public Ticket issue(Caller caller, String uploadId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = Instant.now().plus(LIFETIME);
        redis.set(RedisKeys.ticket(ticket), String.join("\n", caller.business(), caller.username(), uploadId),
                SetParams.setParams().nx().ex(LIFETIME.toSeconds()));
        return new Ticket(ticket, expiresAt.toString());
    }

    /** The caller a ticket stands for, if it exists, has not expired, and names this upload; it is used up either way. */
    public Optional<Caller> redeem(String ticket, String uploadId) {
        String value = redis.getDel(RedisKeys.ticket(ticket));
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.split("\n", 3);
        return parts.length == 3 && parts[2].equals(uploadId) ? Optional.of(new Caller(parts[0], parts[1])) : Optional.empty();
    }

    /** What a ticket request answers (snake_case in JSON). */
    public record Ticket(String ticket, String expiresAt) {
    }
}
