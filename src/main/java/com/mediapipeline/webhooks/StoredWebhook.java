package com.mediapipeline.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An endpoint as stored: its business and its secrets. After a rotation the previous secret keeps
 * signing beside the new one until {@code previousUntil}, so receivers can switch without losing events.
 */
record StoredWebhook(Webhook webhook, String business, String secret, String previousSecret, Instant previousUntil) {

    /** The secrets that sign a delivery at {@code now}: the current one, and the previous one while it lasts. */
    List<String> signingSecrets(Instant now) {
        List<String> secrets = new ArrayList<>(List.of(secret));
        if (previousSecret != null && previousUntil != null && now.isBefore(previousUntil)) {
            secrets.add(previousSecret);
        }
        return secrets;
    }
}
