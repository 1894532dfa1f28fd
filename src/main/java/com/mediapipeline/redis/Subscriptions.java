package com.mediapipeline.redis;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's subscriptions to pub/sub channels, each on its own connection and container-managed
 * thread, subscribed again whenever Redis comes back, or has gone silent ({@link Subscriber}).
 */
@ApplicationScoped
public class Subscriptions {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
    private static final long RETRY_MILLIS = 1000;

    @Inject
    RedisConnection redis;

    @Resource
    ManagedExecutorService executor;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private ScheduledFuture<?> watchdog;

    @PostConstruct
    void startWatchdog() {
        long every = Subscriber.PING_EVERY.toMillis();
        watchdog = scheduler.scheduleWithFixedDelay(() -> subscribers.forEach(Subscriptions::watch), every, every, TimeUnit.MILLISECONDS);
    }

    private static void watch(Subscriber subscriber) {
        try {
            subscriber.watch();
        } catch (RuntimeException e) {
            // a failure must not end the schedule, which every subscription relies on
            LOG.log(Level.WARNING, "Could not watch a subscription", e);
        }
    }

    /**
     * Hands every message published on the channel to {@code onMessage}, from now until shutdown; calls
     * {@code onResubscribed} each time the subscription is back after a loss (messages published
     * meanwhile never come).
     */
    public void listen(String channel, Consumer<String> onMessage, Runnable onResubscribed) {
        Subscriber subscriber = new Subscriber(channel, onMessage, onResubscribed);
        subscribers.add(subscriber);
        executor.submit(() -> keepSubscribed(channel, subscriber));
    }

    @PreDestroy
    void stop() {
        running = false;
        watchdog.cancel(false);
        subscribers.forEach(Subscriber::end);
    }

    private void keepSubscribed(String channel, Subscriber subscriber) {
        while (running && !Thread.currentThread().isInterrupted()) {
            try (Connection connection = redis.connection()) {
                // an idle pooled connection may be one a partition left dead: fail in the socket timeout, not the watchdog's
                connection.ping();
                subscriber.read(connection);
            } catch (JedisException e) {
                // Redis restarted or unreachable: keep trying; what was missed meanwhile is the listener's to catch up on
                LOG.warning("Subscription to " + channel + " lost (" + e.getMessage() + "); retrying");
                pause();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Subscription to " + channel + " failed; retrying", e);
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }
}
