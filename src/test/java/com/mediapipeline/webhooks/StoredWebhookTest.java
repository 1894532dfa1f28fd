package com.mediapipeline.webhooks;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StoredWebhookTest {

    private static final Webhook WEBHOOK = new Webhook("wh_1", "https://example.com", List.of(EventTypes.CREATED), "", "", false);

    /** Two rotations in a row: the secret before both still signs, so a receiver that missed one answer loses nothing. */
    @Test
    void everyPreviousSecretSignsUntilItsOverlapEnds() {
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        StoredWebhook stored = new StoredWebhook(WEBHOOK, "acme", "s2", StoredWebhook.Previous.parse(
                "s0|" + now.plusSeconds(60).toEpochMilli() + ",s1|" + now.plusSeconds(120).toEpochMilli() + ",gone|" + now.toEpochMilli()));

        assertEquals(List.of("s2", "s0", "s1"), stored.signingSecrets(now));
        assertEquals(List.of("s2", "s1"), stored.signingSecrets(now.plusSeconds(90)));
        assertEquals(List.of("s2"), new StoredWebhook(WEBHOOK, "acme", "s2", StoredWebhook.Previous.parse("")).signingSecrets(now));
    }
}
