package com.mediapipeline.progress;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.redis.LeasedSlots;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import redis.clients.jedis.UnifiedJedis;

import java.time.Duration;
import java.util.UUID;

/**
 * At most {@code mediapipeline.websocket.max-per-key} open progress sockets per business, counted
 * cluster-wide ({@link LeasedSlots}). Each instance renews the leases of its own sockets
 * ({@link #renew}, every ping interval); those of an instance that died drop out of the count once
 * their lease has passed.
 */
@ApplicationScoped
@RedisCall
public class SocketSlots {

    static final String CAP_SETTING = "mediapipeline.websocket.max-per-key";
    /** Three missed renewals (one per ping interval) before a socket no longer counts. */
    static final long LEASE_MILLIS = 3 * SocketRegistry.PING_SECONDS * 1000;

    @Inject
    @ConfigProperty(name = CAP_SETTING, defaultValue = "256")
    int cap;

    @Inject
    UnifiedJedis redis;

    private final String instance = UUID.randomUUID().toString();
    private LeasedSlots slots;

    @PostConstruct
    void validate() {
        InvalidSettingException.require(cap >= 1, CAP_SETTING, "must be at least 1, was " + cap);
        slots = new LeasedSlots(redis, Duration.ofMillis(LEASE_MILLIS));
    }

    /** Takes a slot of the business for the socket; false when the business has all of its sockets open. */
    public boolean take(String business, String socketId) {
        return slots.take(RedisKeys.webSockets(business), member(socketId), cap);
    }

    /** Gives the socket's slot back, if it had one. */
    public void release(String socketId) {
        slots.release(member(socketId));
    }

    /** Extends the leases of every slot this instance holds. */
    void renew() {
        slots.renew();
    }

    /** Sockets ids are unique per instance only. */
    private String member(String socketId) {
        return instance + ":" + socketId;
    }
}
