package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.Subscriptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * This instance's one subscription to the progress channel: events published by any instance reach
 * the sockets open here, and every follower of many uploads (as the CDI event {@link Relayed}). After
 * an outage, the sockets of one upload catch up with the next event; followers of many are told
 * ({@link RelayResumed}), since they cannot tell what they missed.
 */
@ApplicationScoped
public class ProgressRelay {

    @Inject
    Subscriptions subscriptions;

    @Inject
    SocketRegistry sockets;

    @Inject
    Event<Relayed> followers;

    @Inject
    Event<RelayResumed> resumed;

    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
        subscriptions.listen(RedisKeys.PROGRESS_CHANNEL, message -> {
            Relayed relayed = Relayed.parse(message);
            sockets.deliver(relayed.event());
            followers.fire(relayed);
        }, () -> resumed.fire(new RelayResumed()));
    }
}
