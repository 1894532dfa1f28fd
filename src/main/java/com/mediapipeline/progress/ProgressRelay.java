package com.mediapipeline.progress;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.Subscriptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * This instance's one subscription to the progress channel: events published by any instance reach
 * the sockets open here. After an outage, the sockets catch up with the next event.
 */
@ApplicationScoped
public class ProgressRelay {

    @Inject
    Subscriptions subscriptions;

    @Inject
    SocketRegistry sockets;

    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
        subscriptions.listen(RedisKeys.PROGRESS_CHANNEL, message -> sockets.deliver(ProgressEvent.fromJson(message)));
    }
}
