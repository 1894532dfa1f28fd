package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's one subscription to the progress channel, on its own connection and
 * container-managed thread: events published by any instance reach the sockets open here.
 */
@ApplicationScoped
public class ProgressRelay {

    private static final Logger LOG = Logger.getLogger(ProgressRelay.class.getName());
    private static final long RETRY_MILLIS = 1000;

    @Inject
    JedisPooled redis;

    @Inject
    SocketRegistry sockets;

    @Resource
    ManagedExecutorService executor;

    private final JedisPubSub subscriber = new JedisPubSub() {
        @Override
        public void onMessage(String channel, String message) {
            try {
                sockets.deliver(ProgressEvent.fromJson(message));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Dropped a progress event that could not be delivered", e);
            }
        }
    };

    private volatile boolean running = true;

    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
        executor.submit(this::listen);
    }

    @PreDestroy
    void stop() {
        running = false;
        if (subscriber.isSubscribed()) {
            subscriber.unsubscribe();
        }
    }

    private void listen() {
        while (running) {
            try {
                redis.subscribe(subscriber, RedisKeys.PROGRESS_CHANNEL);
            } catch (JedisException e) {
                // Redis restarted or unreachable: keep trying, the sockets catch up with the next event
                LOG.warning("Progress subscription lost (" + e.getMessage() + "); retrying");
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
