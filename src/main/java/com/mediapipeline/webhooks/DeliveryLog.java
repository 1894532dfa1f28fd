package com.mediapipeline.webhooks;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** An endpoint's deliveries, newest first and pageable by an opaque cursor; and their replay. */
@ApplicationScoped
public class DeliveryLog {

    static final int PAGE = 50;
    private static final Pattern DELIVERY_ID = Pattern.compile("msg_[0-9a-f]{32}");
    /** Entries one request reads at most while it filters by status: a page may come back short, with a cursor. */
    private static final int SCAN_LIMIT = 1000;
    private static final Set<String> STATUSES = Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED);

    @Inject
    Webhooks webhooks;

    @Inject
    DeliveryStore deliveries;

    @Inject
    Courier courier;

    public Page page(String business, String webhookId, String status, String cursor) {
        if (status != null && !STATUSES.contains(status)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "status must be one of " + STATUSES);
        }
        webhooks.find(business, webhookId);
        Position position = Position.parse(cursor);
        List<Delivery.Entry> entries = new ArrayList<>();
        int scanned = 0;
        boolean more = true;
        while (more && entries.size() < PAGE && scanned < SCAN_LIMIT) {
            DeliveryStore.LogChunk chunk = deliveries.log(business, webhookId, position.millis(), position.id(), PAGE - entries.size());
            scanned += PAGE;
            more = chunk.more();
            chunk.deliveries().stream().filter(delivery -> status == null || status.equals(delivery.status()))
                    .map(Delivery::entry).forEach(entries::add);
            if (chunk.lastId() != null) {
                position = new Position(chunk.lastMillis(), chunk.lastId());
            }
        }
        return new Page(entries, more ? position.cursor() : null);
    }

    /** Sends the delivery again, with its webhook-id, once every earlier replay of the endpoint is done. */
    public Delivery.Entry retry(String business, String webhookId, String deliveryId) {
        webhooks.find(business, webhookId);
        if (deliveryId == null || !DELIVERY_ID.matcher(deliveryId).matches()) {
            throw new ApiException(ErrorCode.DELIVERY_NOT_FOUND);
        }
        Delivery delivery = deliveries.find(business, deliveryId).filter(found -> found.webhook().equals(webhookId))
                .orElseThrow(() -> new ApiException(ErrorCode.DELIVERY_NOT_FOUND));
        Instant now = Instant.now();
        boolean replayed = deliveries.replay(delivery, now.toEpochMilli(), now.toString())
                .orElseThrow(() -> new ApiException(ErrorCode.DELIVERY_NOT_FOUND));
        if (!replayed) {
            throw new ApiException(ErrorCode.DELIVERY_PENDING);
        }
        courier.wake();
        return deliveries.find(business, deliveryId).map(Delivery::entry).orElseThrow(() -> new ApiException(ErrorCode.DELIVERY_NOT_FOUND));
    }

    /** {@code {"deliveries": [...], "next_cursor"}}. */
    public record Page(List<Delivery.Entry> deliveries, String nextCursor) {
    }

    /** Where a page starts: after the entry created at {@code millis} with {@code id} (the newest when id is null). */
    private record Position(long millis, String id) {

        static Position parse(String cursor) {
            if (cursor == null || cursor.isEmpty()) {
                return new Position(Long.MAX_VALUE, null);
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
                return new Position(Long.parseLong(parts[0]), parts[1]);
            } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "cursor is not one this service gave");
            }
        }

        String cursor() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((millis + ":" + id).getBytes(StandardCharsets.UTF_8));
        }
    }
}
