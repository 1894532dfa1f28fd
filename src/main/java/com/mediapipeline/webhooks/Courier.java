package com.mediapipeline.webhooks;

import com.mediapipeline.auth.ApiKeys;
import com.mediapipeline.outbound.Destinations;
import com.mediapipeline.outbound.HookSender;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.annotation.Metric;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This instance's share of the attempts: leases due deliveries, sends each signed, and records the
 * outcome. A 2xx delivers; 410 Gone disables the endpoint; anything else (or no answer in time) is
 * tried again after a backoff until the attempts run out, and the event is then marked failed.
 */
@ApplicationScoped
public class Courier {

    private static final Logger LOG = Logger.getLogger(Courier.class.getName());
    private static final String DELIVERIES = "Webhook events by outcome: delivered, or failed (attempts exhausted, endpoint deleted or disabled)";
    /** Attempts in flight on this instance at once; a slow receiver holds one for up to the timeout. */
    private static final int PARALLEL = 32;
    /**
     * Attempts in flight on this instance for one business: one whose receivers hang holds at most these
     * slots, and the others' deliveries go on in the rest.
     */
    private static final int PARALLEL_PER_BUSINESS = 4;
    private static final long IDLE_POLL_MILLIS = 250;
    /** How soon a delivery that waits for an earlier event of its upload looks again. */
    private static final long WAIT_FOR_EARLIER_MILLIS = 1000;

    @Inject
    DeliveryStore deliveries;

    @Inject
    WebhookStore webhooks;

    @Inject
    WebhookSettings settings;

    @Inject
    Destinations destinations;

    @Inject
    HookSender sender;

    @Inject
    ApiKeys keys;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @Metric(name = "webhooks.deliveries", tags = "outcome=delivered", absolute = true, description = DELIVERIES)
    Counter delivered;

    @Inject
    @Metric(name = "webhooks.deliveries", tags = "outcome=failed", absolute = true, description = DELIVERIES)
    Counter failed;

    @Inject
    @Metric(name = "webhooks.attempts", absolute = true, description = "Webhook delivery attempts, first and retries")
    Counter attempts;

    private final Semaphore slots = new Semaphore(PARALLEL);
    private final PerKeyLimit businesses = new PerKeyLimit(PARALLEL_PER_BUSINESS);
    private final Semaphore wake = new Semaphore(0);
    private final BackgroundLoop loop = new BackgroundLoop();
    private ExecutorService pool;

    void start(@Observes @Initialized(ApplicationScoped.class) Object start) {
        pool = Executors.newFixedThreadPool(PARALLEL, threads);
        loop.start(threads, "webhook-courier", this::round);
    }

    /** Attempts cut short here are not recorded: their leases lapse and another instance makes them again. */
    @PreDestroy
    void stop() {
        loop.stop();
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Looks for due deliveries now rather than at the next poll: events were just fanned out. */
    void wake() {
        wake.release();
    }

    private void round() throws InterruptedException {
        int free = slots.availablePermits();
        if (free > 0) {
            long now = System.currentTimeMillis();
            Map<String, Integer> shares = FairShares.of(deliveries.due(keys.businesses(), now, PARALLEL_PER_BUSINESS), businesses.left(),
                    PARALLEL_PER_BUSINESS, free);
            DeliveryStore.Leased leased = shares.isEmpty() ? new DeliveryStore.Leased(List.of(), 0) : deliveries.take(now, settings.lease(), shares);
            for (DeliveryStore.Due due : leased.deliveries()) {
                slots.acquire();
                // counted here, where the allowance was read, not when the attempt starts on another thread
                boolean claimed = businesses.tryTake(due.business());
                pool.submit(() -> attemptReleasing(due, leased.lease(), claimed));
            }
        }
        wake.tryAcquire(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        wake.drainPermits();
    }

    private void attemptReleasing(DeliveryStore.Due due, long lease, boolean claimed) {
        try {
            Optional<Delivery> delivery = deliveries.find(due.business(), due.id());
            if (delivery.isEmpty()) {
                deliveries.forget(due);
            } else if (claimed) {
                attempt(delivery.get(), lease);
            } else {
                // the business had no slot left after all: its slots free up no sooner than its attempts end
                deliveries.postpone(delivery.get(), lease, System.currentTimeMillis() + settings.timeout().toMillis());
            }
        } catch (RuntimeException e) {
            // the lease runs out and another attempt follows
            LOG.log(Level.WARNING, "Webhook delivery " + due.id() + " not attempted: " + e.getMessage());
        } finally {
            if (claimed) {
                businesses.release(due.business());
            }
            slots.release();
            wake();
        }
    }

    private void attempt(Delivery delivery, long lease) {
        if (!deliveries.start(delivery, lease, System.currentTimeMillis() + WAIT_FOR_EARLIER_MILLIS)) {
            return;
        }
        Optional<StoredWebhook> endpoint = webhooks.find(delivery.business(), delivery.webhook());
        if (endpoint.isEmpty() || endpoint.get().webhook().disabled()) {
            giveUp(delivery, lease, null, endpoint.isEmpty() ? "the endpoint was deleted" : "the endpoint is disabled", null);
            return;
        }
        attempts.inc();
        HookSender.Reply reply = send(delivery, endpoint.get());
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        int made = delivery.attempts() + 1;
        if (reply.success()) {
            if (record(delivery, lease, null, Delivery.DELIVERED, made, reply)) {
                delivered.inc();
            }
        } else if (reply.status() == 410) {
            if (giveUp(delivery, lease, reply, "410 Gone: the endpoint is disabled", made)) {
                webhooks.update(endpoint.get().business(), delivery.webhook(), Map.of("disabled", "true"));
            }
        } else if (made >= settings.maxAttempts()) {
            giveUp(delivery, lease, reply, reply.error(), made);
        } else {
            long next = System.currentTimeMillis() + Backoff.after(made, settings.retryBase(), ThreadLocalRandom.current()).toMillis();
            record(delivery, lease, next, Delivery.PENDING, made, reply);
        }
    }

    private HookSender.Reply send(Delivery delivery, StoredWebhook endpoint) {
        try {
            URI url = destinations.parse(endpoint.webhook().url());
            destinations.checkAddresses(url);
            return sender.post(url, delivery.id(), delivery.body(), endpoint.signingSecrets(Instant.now()));
        } catch (Destinations.RefusedDestination refused) {
            return new HookSender.Reply(0, "", "refused: " + refused.getMessage(), 0);
        }
    }

    /** Marks the delivery failed, if the lease still holds; whether it did. */
    private boolean giveUp(Delivery delivery, long lease, HookSender.Reply reply, String why, Integer made) {
        HookSender.Reply last = reply == null ? new HookSender.Reply(0, "", why, 0) : new HookSender.Reply(reply.status(), reply.body(),
                why == null ? "HTTP " + reply.status() : why, reply.latencyMillis());
        boolean recorded = record(delivery, lease, null, Delivery.FAILED, made == null ? delivery.attempts() : made, last);
        if (recorded) {
            failed.inc();
            LOG.warning(() -> "Webhook " + delivery.id() + " to " + delivery.webhook() + " failed: " + last.error());
        }
        return recorded;
    }

    private boolean record(Delivery delivery, long lease, Long next, String status, int made, HookSender.Reply reply) {
        long now = System.currentTimeMillis();
        return deliveries.finish(delivery, lease, now, settings.logRetention(), next, "status", status, "attempts", Integer.toString(made),
                "last_status_code", reply.status() == 0 ? "" : Integer.toString(reply.status()),
                "last_error", reply.success() ? "" : errorOf(reply), "latency_ms", Long.toString(reply.latencyMillis()),
                "next_attempt_at", next == null ? "" : Instant.ofEpochMilli(next).toString());
    }

    private static String errorOf(HookSender.Reply reply) {
        return reply.error() != null ? reply.error() : "HTTP " + reply.status();
    }
}
