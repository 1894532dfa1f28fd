package com.mediapipeline.webhooks;

import com.mediapipeline.auth.ApiKeys;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Carries what instances of versions before the business tags left in Redis into this version's keys, at
 * start and then every 15 s, so that a rolling upgrade loses no endpoint and no recorded event: each
 * business's endpoints are copied once (the older instances go on with theirs), and the events in the one
 * stream of every business are fanned out like the others, read as a member of its consumer group beside
 * the older instances; the stream is deleted once it is empty and no older instance reads it. Deliveries an
 * older instance had pending stay its own: it attempts them while it runs. Goes in a later release.
 */
@ApplicationScoped
public class WebhookUpgrade {

    private static final Logger LOG = Logger.getLogger(WebhookUpgrade.class.getName());
    private static final int BATCH = 100;

    @Inject
    LegacyWebhookStore legacy;

    @Inject
    WebhookStore webhooks;

    @Inject
    Dispatcher dispatcher;

    @Inject
    ApiKeys keys;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final String consumer = LegacyWebhookStore.CONSUMER_PREFIX + UUID.randomUUID();

    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
        scheduler.scheduleWithFixedDelay(this::round, 0, Dispatcher.ABANDONED.toSeconds() / 2, TimeUnit.SECONDS);
    }

    private void round() {
        try {
            for (String business : keys.businesses()) {
                legacy.endpoints(business).forEach((id, fields) -> {
                    webhooks.adopt(business, id, fields);
                    legacy.copied(id);
                });
            }
            if (legacy.hasEvents()) {
                List<DeliveryStore.RecordedEvent> events;
                do {
                    events = legacy.read(consumer, Dispatcher.ABANDONED, BATCH);
                    dispatcher.fanOut(events);
                } while (!events.isEmpty());
                if (legacy.drop(Dispatcher.ABANDONED)) {
                    LOG.info("The webhook event stream of versions before per-business streams is drained and deleted");
                }
            }
        } catch (RuntimeException e) {
            // a failed round is one the next repeats; thrown, it would end the schedule
            LOG.warning("Webhook keys of older versions not carried over this time: " + e.getMessage());
        }
    }
}
