package com.mediapipeline.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One channel's subscription, watched. Jedis reads a subscription without a timeout, so a Redis that goes
 * silent without closing the connection (a network partition, a frozen host, an old master cut off while
 * a replica is promoted) would leave it waiting for ever, and this instance deaf to the channel with no error
 * anywhere. So {@link #watch} PINGs the subscription now and then, and closes a connection on which Redis
 * has said nothing for {@link #SILENCE}: the reading thread then fails as it does on any lost connection.
 */
final class Subscriber extends JedisPubSub {

    /** How often the subscription is PINGed (each answer, like each message, shows the connection alive). */
    static final Duration PING_EVERY = Duration.ofSeconds(5);
    /**
     * Two PINGs unanswered (the connection is closed when the third is due, about 15 s after the last sign of
     * life): long enough for a Redis busy for a few seconds (a fork, a slow script) to answer, short enough
     * that the watchers here miss only that much before the subscription is taken again.
     */
    static final Duration SILENCE = Duration.ofSeconds(12);
    private static final Logger LOG = Logger.getLogger(Subscriber.class.getName());

    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onResubscribed;
    /** Touched by the subscribing thread only. */
    private boolean subscribedBefore;
    /** The connection being read, null between subscriptions. Guarded by this, as is every write on it from another thread. */
    private Connection reading;
    /** Whether Redis confirmed the subscription on {@link #reading}: before that, a PING would go on the previous connection. */
    private boolean confirmed;
    private volatile long heardAt;

    Subscriber(String channel, Consumer<String> onMessage, Runnable onResubscribed) {
        this.channel = channel;
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
    }

    /** Subscribes on the connection and hands on every message until the connection fails (or is closed by {@link #watch}). */
    void read(Connection connection) {
        synchronized (this) {
            reading = connection;
            confirmed = false;
            heardAt = System.nanoTime();
        }
        try {
            proceed(connection, channel);
        } finally {
            // before the caller gives the connection back: no PING may reach it after that
            synchronized (this) {
                reading = null;
            }
        }
    }

    /** PINGs the subscription, or closes its connection when Redis has said nothing for {@link #SILENCE}. */
    synchronized void watch() {
        if (reading == null) {
            return;
        }
        try {
            if (System.nanoTime() - heardAt > SILENCE.toNanos()) {
                LOG.warning("The subscription to " + channel + " was silent for " + SILENCE.toSeconds()
                        + " s (no answer to PING): closing its connection to subscribe again");
                reading.disconnect();
                reading = null;
            } else if (confirmed) {
                ping();
            }
        } catch (JedisException e) {
            // the reading thread finds the connection broken too, and subscribes again
            LOG.fine("Could not PING the subscription to " + channel + ": " + e.getMessage());
        }
    }

    /** Ends the subscription, for a shutdown. */
    synchronized void end() {
        if (reading != null && confirmed) {
            try {
                unsubscribe();
            } catch (JedisException e) {
                // a broken connection ends its subscription by itself
            }
        }
    }

    @Override
    public void onSubscribe(String subscribed, int count) {
        synchronized (this) {
            confirmed = true;
        }
        heardAt = System.nanoTime();
        if (subscribedBefore) {
            onResubscribed.run();
        }
        subscribedBefore = true;
    }

    @Override
    public void onPong(String pattern) {
        heardAt = System.nanoTime();
    }

    @Override
    public void onMessage(String from, String message) {
        heardAt = System.nanoTime();
        try {
            onMessage.accept(message);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Dropped a message of " + channel + " that could not be handled", e);
        }
    }
}
