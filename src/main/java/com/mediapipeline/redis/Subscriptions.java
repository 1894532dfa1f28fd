package com.mediapipeline.redis;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's subscriptions to pub/sub channels, each on its own connection and container-managed
 * thread, subscribed again whenever Redis comes back.
 */
@ApplicationScoped
public class Subscriptions {

    private static final Logger LOG = Logger.getLogger(Subscriptions.class.getName());
    private static final long RETRY_MILLIS = 1000;

    @Inject
    UnifiedJedis redis;

    @Resource
    ManagedExecutorService executor;

    private final List<JedisPubSub> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    /**
     * Hands every message published on the channel to {@code onMessage}, from now until shutdown; calls
     * {@code onResubscribed} each time the subscription is back after a loss (messages published
     * meanwhile never come).
     */
    public void listen(String channel, Consumer<String> onMessage, Runnable onResubscribed) {
        JedisPubSub subscriber = new JedisPubSub() {
            private boolean subscribedBefore;

            @Override
            public void onSubscribe(String subscribed, int count) {
                if (subscribedBefore) {
                    onResubscribed.run();
                }
                subscribedBefore = true;
            }

            @Override
            public void onMessage(String from, String message) {
                try {
                    onMessage.accept(message);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Dropped a message of " + channel + " that could not be handled", e);
                }
            }
        };
        subscribers.add(subscriber);
        executor.submit(() -> keepSubscribed(channel, subscriber));
    }

    @PreDestroy
    void stop() {
        running = false;
        subscribers.stream().filter(JedisPubSub::isSubscribed).forEach(JedisPubSub::unsubscribe);
    }

    private void keepSubscribed(String channel, JedisPubSub subscriber) {
        while (running) {
            try {
                redis.subscribe(subscriber, channel);
            } catch (JedisException e) {
                // Redis restarted or unreachable: keep trying; what was missed meanwhile is the listener's to catch up on
                LOG.warning("Subscription to " + channel + " lost (" + e.getMessage() + "); retrying");
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
