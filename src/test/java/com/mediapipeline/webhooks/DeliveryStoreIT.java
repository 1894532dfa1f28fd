package com.mediapipeline.webhooks;

import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.testing.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The delivery scripts on a real Redis: whose deliveries an instance takes, and in what order. */
class DeliveryStoreIT {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private final DeliveryStore store = new DeliveryStore();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String busy = "busy-" + run;
    private final String quiet = "quiet-" + run;
    private final List<Delivery> made = new ArrayList<>();

    @BeforeEach
    void connect() {
        store.redis = TestRedis.client();
    }

    @AfterEach
    void clean() {
        for (Delivery delivery : made) {
            String business = delivery.business();
            TestRedis.delete(RedisKeys.delivery(business, delivery.id()), delivery.queue(), RedisKeys.deliveryLog(business, delivery.webhook()),
                    RedisKeys.pendingDeliveries(business, delivery.webhook()));
        }
        TestRedis.delete(RedisKeys.deliveriesDue(busy), RedisKeys.deliveriesDue(quiet));
    }

    /**
     * A business with a hundred deliveries due, all earlier than another's one: an instance takes the
     * other's in its first round, and no more of the first one's than it allows.
     */
    @Test
    void theBusinessesTakeTurns() {
        long start = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 100; i++) {
            enqueue(busy, "upload-" + i, start + i);
        }
        Delivery late = enqueue(quiet, "upload-late", start + 1000);

        List<DeliveryStore.Due> taken = take(System.currentTimeMillis(), Map.of());

        assertTrue(taken.contains(new DeliveryStore.Due(quiet, late.id())), "the quiet business's delivery is taken at once: " + taken);
        assertEquals(4, taken.stream().filter(due -> due.business().equals(busy)).count(), taken.toString());
    }

    /** What a business has in flight already counts against what it may take. */
    @Test
    void aBusinessWithAttemptsInFlightTakesOnlyWhatIsLeft() {
        long start = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 10; i++) {
            enqueue(busy, "upload-" + i, start + i);
        }

        assertEquals(1, take(System.currentTimeMillis(), Map.of(busy, 1)).size());
        assertEquals(0, take(System.currentTimeMillis(), Map.of(busy, 0)).size());
        assertEquals(4, take(System.currentTimeMillis(), Map.of()).size());
    }

    /** A leased delivery is not taken again until its lease ends; its business is due again when the next one is. */
    @Test
    void aLeasedDeliveryIsNotTakenTwice() {
        Delivery only = enqueue(quiet, "upload-only", System.currentTimeMillis() - 1000);
        long now = System.currentTimeMillis();

        assertEquals(List.of(new DeliveryStore.Due(quiet, only.id())), take(now, Map.of()));
        assertEquals(List.of(), take(now, Map.of()));
        assertEquals(List.of(new DeliveryStore.Due(quiet, only.id())), take(now + LEASE.toMillis() + 1, Map.of()), "taken over once the lease ended");
    }

    /** One round of an instance with 32 places, at most 4 a business, over this test's businesses: what the courier does. */
    private List<DeliveryStore.Due> take(long now, Map<String, Integer> left) {
        Map<String, Integer> shares = FairShares.of(store.due(List.of(busy, quiet), now, 4), left, 4, 32);
        return shares.isEmpty() ? List.of() : store.take(now, LEASE, shares).deliveries();
    }

    private Delivery enqueue(String business, String upload, long createdMillis) {
        String webhook = "wh_" + run + business;
        Delivery delivery = new Delivery("msg_" + UUID.randomUUID().toString().replace("-", ""), webhook, business, EventTypes.CREATED, upload,
                1, "{}", RedisKeys.deliveryQueue(business, webhook, upload), Delivery.PENDING, 0, null, null, null, null,
                Instant.ofEpochMilli(createdMillis).toString());
        store.enqueue(delivery, 1, createdMillis, Duration.ofDays(7));
        made.add(delivery);
        return delivery;
    }
}
