package com.mediapipeline.health;

import com.mediapipeline.analytics.AnalyticsSettings;
import com.mediapipeline.auth.ApiKeys;
import com.mediapipeline.auth.SignedLinks;
import com.mediapipeline.config.Retention;
import com.mediapipeline.feed.FeedSettings;
import com.mediapipeline.progress.ProgressRecorder;
import com.mediapipeline.progress.SocketSlots;
import com.mediapipeline.ratelimit.RateLimiter;
import com.mediapipeline.ratelimit.StreamSlots;
import com.mediapipeline.redis.RedisConnection;
import com.mediapipeline.upload.StorageFolder;
import com.mediapipeline.upload.UploadLocks;
import com.mediapipeline.web.StalledReads;
import com.mediapipeline.web.TrustedProxies;
import com.mediapipeline.webhooks.PreCreateHook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;

import java.util.stream.Stream;

/**
 * Every component checks its settings when it is created; this creates them all at start-up, so that
 * a bad setting fails the deployment with a line naming it, not the first request that needs it.
 */
@ApplicationScoped
class StartupChecks {

    void check(@Observes Startup startup, Retention retention, StorageFolder storage, RedisConnection redis,
               ApiKeys keys, TrustedProxies proxies, StalledReads stalls, RateLimiter limiter, StreamSlots streams,
               UploadLocks locks, ProgressRecorder recorder, SocketSlots sockets, SignedLinks links, PreCreateHook hook,
               FeedSettings feeds, AnalyticsSettings analytics) {
        // injected as client proxies: the first call on one creates its bean, and every bean has toString
        Stream.of(retention, storage, redis, keys, proxies, stalls, limiter, streams, locks, recorder, sockets, links, hook, feeds, analytics)
                .forEach(Object::toString);
    }
}
