package com.mediapipeline.webhooks;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.outbound.Destinations;
import com.mediapipeline.outbound.Signatures;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** A business's endpoints: registered, changed, deleted, their secrets rotated, pinged. */
@ApplicationScoped
public class Webhooks {

    static final int MAX_PER_BUSINESS = 25;
    private static final Pattern ID = Pattern.compile("wh_[0-9a-f]{32}");
    private static final int MAX_URL = 2048;
    static final int MAX_PENDING_PINGS = 10;
    private static final int MAX_DESCRIPTION = 1000;
    /** After a rotation the previous secret signs beside the new one this long. */
    static final Duration ROTATION_OVERLAP = Duration.ofHours(24);

    @Inject
    WebhookStore store;

    @Inject
    DeliveryStore deliveries;

    @Inject
    Destinations destinations;

    @Inject
    WebhookSettings settings;

    @Inject
    Courier courier;

    public Created register(String business, Changes request) {
        if (request == null || request.url() == null || request.events() == null) {
            throw new ApiException(ErrorCode.INVALID_WEBHOOK, "A webhook needs a url and a list of events");
        }
        Webhook webhook = new Webhook("wh_" + UUID.randomUUID().toString().replace("-", ""), checkedUrl(request.url()),
                checkedEvents(request.events()), checkedDescription(request.description()), Instant.now().toString(),
                Boolean.TRUE.equals(request.disabled()));
        String secret = Signatures.newSecret();
        if (!store.create(new StoredWebhook(webhook, business, secret, List.of()), MAX_PER_BUSINESS)) {
            throw new ApiException(ErrorCode.INVALID_WEBHOOK, "A business has at most " + MAX_PER_BUSINESS + " webhooks");
        }
        return Created.of(webhook, secret);
    }

    public List<Webhook> list(String business) {
        return store.all(business).stream().map(StoredWebhook::webhook).toList();
    }

    public Webhook get(String business, String id) {
        return find(business, id).webhook();
    }

    /** Changes the fields the request names; the others stay. */
    public Webhook update(String business, String id, Changes changes) {
        find(business, id);
        Map<String, String> fields = new LinkedHashMap<>();
        if (changes != null && changes.url() != null) {
            fields.put("url", checkedUrl(changes.url()));
        }
        if (changes != null && changes.events() != null) {
            fields.put("events", String.join(",", checkedEvents(changes.events())));
        }
        if (changes != null && changes.description() != null) {
            fields.put("description", checkedDescription(changes.description()));
        }
        if (changes != null && changes.disabled() != null) {
            fields.put("disabled", changes.disabled().toString());
        }
        if (!fields.isEmpty() && !store.update(business, id, fields)) {
            throw new ApiException(ErrorCode.WEBHOOK_NOT_FOUND);
        }
        return get(business, id);
    }

    public void delete(String business, String id) {
        find(business, id);
        store.delete(business, id);
    }

    /** A new secret; the one it replaces keeps signing beside it for {@link #ROTATION_OVERLAP}. */
    public Created rotate(String business, String id) {
        StoredWebhook stored = find(business, id);
        String secret = Signatures.newSecret();
        if (!store.rotate(business, id, secret, Instant.now().plus(ROTATION_OVERLAP))) {
            throw new ApiException(ErrorCode.WEBHOOK_NOT_FOUND);
        }
        return Created.of(stored.webhook(), secret);
    }

    /**
     * A {@code ping} event for the endpoint, in its own line so that it waits for no upload's events; at
     * most {@value #MAX_PENDING_PINGS} waiting at once, so that pings cannot pile up while a receiver is down.
     */
    public Delivery.Entry ping(String business, String id) {
        StoredWebhook stored = find(business, id);
        if (deliveries.waiting(RedisKeys.deliveryQueue(business, id, "ping")) >= MAX_PENDING_PINGS) {
            throw new ApiException(ErrorCode.DELIVERY_PENDING, "Pings of this webhook are still pending; wait for them");
        }
        Instant now = Instant.now();
        String deliveryId = "msg_" + UUID.randomUUID().toString().replace("-", "");
        String body = Json.createObjectBuilder().add("type", EventTypes.PING).add("timestamp", now.toString())
                .add("data", Json.createObjectBuilder().add("webhook_id", id)).build().toString();
        Delivery delivery = new Delivery(deliveryId, id, stored.business(), EventTypes.PING, null, 0, body, RedisKeys.deliveryQueue(business, id, "ping"),
                Delivery.PENDING, 0, null, null, null, now.toString(), now.toString());
        deliveries.enqueue(delivery, now.toEpochMilli(), now.toEpochMilli(), settings.logRetention());
        courier.wake();
        return delivery.entry();
    }

    StoredWebhook find(String business, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ApiException(ErrorCode.WEBHOOK_NOT_FOUND);
        }
        return store.find(business, id).orElseThrow(() -> new ApiException(ErrorCode.WEBHOOK_NOT_FOUND));
    }

    private String checkedUrl(String url) {
        if (url.length() > MAX_URL) {
            throw new ApiException(ErrorCode.INVALID_WEBHOOK_URL, "url is longer than " + MAX_URL + " characters");
        }
        try {
            URI uri = destinations.parse(url);
            destinations.checkAddresses(uri);
            return uri.toString();
        } catch (Destinations.RefusedDestination refused) {
            throw new ApiException(ErrorCode.INVALID_WEBHOOK_URL, refused.getMessage());
        }
    }

    private static List<String> checkedEvents(List<String> events) {
        List<String> unknown = events.stream().filter(event -> event == null || !EventTypes.ALL.contains(event)).toList();
        if (events.isEmpty() || !unknown.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_WEBHOOK, "events must name one or more of " + EventTypes.ALL
                    + (unknown.isEmpty() ? "" : "; unknown: " + unknown));
        }
        return events.stream().distinct().toList();
    }

    private static String checkedDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw new ApiException(ErrorCode.INVALID_WEBHOOK, "description is longer than " + MAX_DESCRIPTION + " characters");
        }
        return description == null ? "" : description;
    }

    /** A registration or a change: every field optional in a change. */
    public record Changes(String url, List<String> events, String description, Boolean disabled) {
    }

    /** An endpoint with its secret: the answer to its registration and to a rotation, the only times the secret is shown. */
    public record Created(String id, String url, List<String> events, String description, String createdAt, boolean disabled, String secret) {

        static Created of(Webhook webhook, String secret) {
            return new Created(webhook.id(), webhook.url(), webhook.events(), webhook.description(), webhook.createdAt(),
                    webhook.disabled(), secret);
        }
    }
}
