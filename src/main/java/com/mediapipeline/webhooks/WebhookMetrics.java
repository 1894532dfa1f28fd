package com.mediapipeline.webhooks;

import com.mediapipeline.auth.ApiKeys;
import com.mediapipeline.redis.RedisUnavailableException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Per endpoint of the configured businesses, cluster-wide: {@code webhooks.queue.depth} (deliveries pending) and
 * {@code webhooks.queue.oldest.seconds} (how long the oldest has waited), read from Redis every
 * {@value #REFRESH_SECONDS} s, so that a scrape costs no Redis call.
 */
@ApplicationScoped
public class WebhookMetrics {

    private static final Logger LOG = Logger.getLogger(WebhookMetrics.class.getName());
    static final long REFRESH_SECONDS = 5;
    private static final String DEPTH = "webhooks.queue.depth";
    private static final String OLDEST = "webhooks.queue.oldest.seconds";

    @Inject
    DeliveryStore deliveries;

    @Inject
    WebhookStore webhooks;

    @Inject
    ApiKeys keys;

    @Inject
    MetricRegistry registry;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private volatile Map<String, DeliveryStore.Queue> queues = Map.of();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
        scheduler.scheduleWithFixedDelay(this::refresh, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
    }

    private void refresh() {
        try {
            queues = deliveries.queues(webhooks.ids(keys.businesses()));
        } catch (RedisUnavailableException e) {
            LOG.fine(() -> "Webhook queue metrics not refreshed: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            // a fault (logged where it arose) must not end the schedule, as a thrown exception would
            LOG.warning("Webhook queue metrics not refreshed: " + e);
            return;
        }
        queues.keySet().stream().filter(registered::add).forEach(id -> {
            Tag webhook = new Tag("webhook", id);
            registry.gauge(DEPTH, this, metrics -> metrics.queue(id).depth(), webhook);
            registry.gauge(OLDEST, this, metrics -> metrics.oldestSeconds(id), webhook);
        });
        registered.removeIf(id -> {
            boolean gone = !queues.containsKey(id);
            if (gone) {
                registry.remove(new MetricID(DEPTH, new Tag("webhook", id)));
                registry.remove(new MetricID(OLDEST, new Tag("webhook", id)));
            }
            return gone;
        });
    }

    private DeliveryStore.Queue queue(String id) {
        return queues.getOrDefault(id, new DeliveryStore.Queue(0, null));
    }

    private double oldestSeconds(String id) {
        Long oldest = queue(id).oldestMillis();
        return oldest == null ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
    }
}
