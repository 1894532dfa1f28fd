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
 * anywhere. So {@link #watch} PINGs the subscription now and then, and closes a connection on which a PING
 * went unanswered for {@link #SILENCE}: the reading thread then fails as it does on any lost connection.
 */
final class Subscriber extends JedisPubSub {

    /** How often the subscription is PINGed (each answer, like each message, shows the connection alive). */
    static final Duration PING_EVERY = Duration.ofSeconds(5);
    /**
     * How long a PING may go unanswered (the connection is closed at the first watch after that, 15 to 20 s
     * after the last sign of life): long enough for a Redis busy for a few seconds (a fork, a slow script) to
     * answer, short enough that the watchers here miss only that much before the subscription is taken again.
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
    /** When the PING still unanswered was sent (System.nanoTime), 0 when none is. Guarded by this. */
    private long pingedAt;
    /** Set by a shutdown: no subscription is taken after it. Guarded by this. */
    private boolean ended;
    private volatile long heardAt;

    Subscriber(String channel, Consumer<String> onMessage, Runnable onResubscribed) {
        this.channel = channel;
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
    }

    /** Subscribes on the connection and hands on every message until the connection fails (or is closed by {@link #watch}). */
    void read(Connection connection) {
        synchronized (this) {
            if (ended) {
                return;
            }
            reading = connection;
            confirmed = false;
            pingedAt = 0;
            heardAt = System.nanoTime();
        }
        try {
            proceed(connection, channel);
        } finally {
            // before the caller gives the connection back: no PING may reach it after that; and broken, so that
            // the pool drops it rather than lend a connection perhaps still subscribed to the next command
            synchronized (this) {
                reading = null;
                connection.disconnect();
            }
        }
    }

    /**
     * PINGs the subscription, or closes its connection when Redis has said nothing for {@link #SILENCE} since
     * the PING still unanswered was sent (or, before it confirmed the subscription, since the SUBSCRIBE): a
     * watch that runs late sends its PING late, and cannot cut a subscription that answers.
     */
    synchronized void watch() {
        if (reading == null) {
            return;
        }
        long now = System.nanoTime();
        boolean unanswered = pingedAt != 0 && heardAt - pingedAt < 0;
        long waitingSince = !confirmed ? heardAt : unanswered ? pingedAt : 0;
        try {
            if (waitingSince != 0 && now - waitingSince > SILENCE.toNanos()) {
                LOG.warning("The subscription to " + channel + " was silent for " + SILENCE.toSeconds()
                        + " s (no answer to PING): closing its connection to subscribe again");
                reading.disconnect();
                reading = null;
            } else if (confirmed && !unanswered) {
                ping();
                pingedAt = now;
            }
        } catch (JedisException e) {
            // the reading thread finds the connection broken too, and subscribes again
            LOG.fine("Could not PING the subscription to " + channel + ": " + e.getMessage());
        }
    }

    /** Ends the subscription, for a shutdown: its connection closed, which ends the read however Redis is. */
    synchronized void end() {
        ended = true;
        if (reading != null) {
            try {
                reading.disconnect();
            } catch (JedisException e) {
                // closed all the same
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
            try {
                onResubscribed.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The resubscription to " + channel + " could not be handled", e);
            }
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
