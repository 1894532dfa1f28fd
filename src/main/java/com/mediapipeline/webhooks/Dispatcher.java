package com.mediapipeline.webhooks;

import com.mediapipeline.auth.ApiKeys;
import com.mediapipeline.config.JsonMapping;
import com.mediapipeline.progress.UploadStatus;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.redis.RedisUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's share of the fan-out: reads recorded events as a member of each business's consumer
 * group, turns each into one delivery per endpoint that takes it, and takes over the events of an
 * instance that read them and died before it finished. One reader waits on the streams it can wait on in
 * one blocking read (every business's on one Redis, one slot's on a cluster), so an event is fanned out
 * as soon as it is recorded, with no polling.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final int BATCH = 100;
    private static final Duration BLOCK = Duration.ofMillis(500);
    /** An event read this long ago and still not fanned out belongs to an instance that died. */
    static final Duration ABANDONED = Duration.ofSeconds(30);

    @Inject
    DeliveryStore deliveries;

    @Inject
    WebhookStore webhooks;

    @Inject
    WebhookSettings settings;

    @Inject
    Courier courier;

    @Inject
    ApiKeys keys;

    @Resource
    ManagedThreadFactory threads;

    private final String consumer = UUID.randomUUID().toString();
    private final List<BackgroundLoop> loops = new ArrayList<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
        for (List<String> businesses : deliveries.readableTogether(keys.businesses())) {
            BackgroundLoop loop = new BackgroundLoop();
            loop.start(threads, "webhook-fan-out-" + loops.size(), new Reader(businesses)::round);
            loops.add(loop);
        }
    }

    @PreDestroy
    void stop() {
        loops.forEach(BackgroundLoop::stop);
    }

    /** The fan-out of some businesses' streams, on a thread of its own. */
    private final class Reader {

        private final List<String> businesses;
        private final Map<String, String> claimFrom = new HashMap<>();
        private boolean grouped;
        private long tookOverAt;

        Reader(List<String> businesses) {
            this.businesses = businesses;
        }

        void round() {
            try {
                if (!grouped) {
                    businesses.forEach(deliveries::createGroup);
                    grouped = true;
                }
                if (System.currentTimeMillis() - tookOverAt > ABANDONED.toMillis() / 2) {
                    tookOverAt = System.currentTimeMillis();
                    for (String business : businesses) {
                        DeliveryStore.Claimed claimed = deliveries.takeOver(consumer, business, ABANDONED, BATCH,
                                claimFrom.getOrDefault(business, "0-0"));
                        claimFrom.put(business, claimed.next());
                        fanOut(claimed.events());
                    }
                }
                fanOut(deliveries.read(consumer, businesses, BATCH, BLOCK));
            } catch (RuntimeException e) {
                // the groups again after every failure: a Redis that restarted without its data has none
                grouped = false;
                throw e;
            }
        }
    }

    /** The batch's deliveries, written in one round trip (endpoints read once per batch and business). */
    void fanOut(List<DeliveryStore.RecordedEvent> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, List<StoredWebhook>> endpoints = new HashMap<>();
        Set<String> unreadable = new HashSet<>();
        List<DeliveryStore.FannedOut> batch = new ArrayList<>();
        for (DeliveryStore.RecordedEvent entry : entries) {
            List<StoredWebhook> takers = endpointsOf(entry.business(), endpoints, unreadable);
            if (takers == null) {
                continue;
            }
            try {
                batch.add(fanOut(entry, takers));
            } catch (RuntimeException unreadableEntry) {
                // an entry this code cannot read would stop every event behind it, on every instance
                LOG.log(Level.SEVERE, "Dropped webhook event " + entry.id() + " that cannot be fanned out: " + entry.fields(), unreadableEntry);
                batch.add(new DeliveryStore.FannedOut(entry, parseOr(entry.fields().get("event_sequence")), 0, List.of()));
            }
        }
        deliveries.fanOut(batch, settings.logRetention());
        courier.wake();
    }

    /**
     * A business's endpoints, or null when they cannot be read (a fault in its data): its events then wait in
     * their stream, taken over and tried again later, rather than be dropped, while the other businesses' go
     * on. Redis away ends the round, which is repeated.
     */
    private List<StoredWebhook> endpointsOf(String business, Map<String, List<StoredWebhook>> read, Set<String> unreadable) {
        if (unreadable.contains(business)) {
            return null;
        }
        List<StoredWebhook> known = read.get(business);
        if (known == null) {
            try {
                known = webhooks.all(business);
            } catch (RedisUnavailableException e) {
                throw e;
            } catch (RuntimeException fault) {
                LOG.log(Level.SEVERE, "The webhook endpoints of " + business + " cannot be read; its events wait", fault);
                unreadable.add(business);
                return null;
            }
            read.put(business, known);
        }
        return known;
    }

    /** One event's deliveries, one per endpoint of its business that takes it. */
    private DeliveryStore.FannedOut fanOut(DeliveryStore.RecordedEvent entry, List<StoredWebhook> endpoints) {
        Map<String, String> fields = entry.fields();
        String type = fields.get("event_type");
        String upload = fields.get("event_upload");
        long sequence = Long.parseLong(fields.get("event_sequence"));
        String business = entry.business();
        String body = payload(type, fields.get("event_at"), upload, sequence, fields);
        long createdMillis = Instant.parse(fields.get("event_at")).toEpochMilli();
        List<Delivery> made = new ArrayList<>();
        for (StoredWebhook stored : endpoints) {
            Webhook webhook = stored.webhook();
            if (webhook.takes(type)) {
                String id = "msg_" + UUID.nameUUIDFromBytes((entry.id() + "/" + webhook.id()).getBytes(StandardCharsets.UTF_8))
                        .toString().replace("-", "");
                made.add(new Delivery(id, webhook.id(), business, type, upload, sequence, body, RedisKeys.deliveryQueue(business, webhook.id(), upload),
                        Delivery.PENDING, 0, null, null, null, null, fields.get("event_at")));
            }
        }
        return new DeliveryStore.FannedOut(entry, sequence, createdMillis, made);
    }

    private static long parseOr(String sequence) {
        try {
            return Long.parseLong(sequence);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code {"type", "timestamp", "data": {the upload's status, "sequence"[, "deleted_at"]}}}. */
    static String payload(String type, String at, String upload, long sequence, Map<String, String> hash) {
        JsonObject status = Json.createReader(new StringReader(JsonMapping.JSONB.toJson(UploadStatus.of(upload, hash)))).readObject();
        JsonObjectBuilder data = Json.createObjectBuilder(status).add("sequence", sequence);
        if (EventTypes.removal(type)) {
            data.add("deleted_at", at);
        }
        return Json.createObjectBuilder().add("type", type).add("timestamp", at).add("data", data).build().toString();
    }
}
