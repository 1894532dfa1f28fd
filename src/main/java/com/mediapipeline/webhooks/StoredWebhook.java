package com.mediapipeline.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An endpoint as stored: its business and its secrets. After a rotation the secret it replaced keeps
 * signing beside the new one for a while, so receivers can switch without losing events; so do the
 * ones before it, if they were rotated out as recently.
 */
record StoredWebhook(Webhook webhook, String business, String secret, List<Previous> previous) {

    /** Secrets rotated out that are kept signing at most, the newest. */
    static final int MOST_PREVIOUS = 5;

    /** The secrets that sign a delivery at {@code now}: the current one, and the previous ones while they last. */
    List<String> signingSecrets(Instant now) {
        List<String> secrets = new ArrayList<>(List.of(secret));
        previous.stream().filter(old -> now.isBefore(old.until())).map(Previous::secret).forEach(secrets::add);
        return secrets;
    }

    /** A secret rotated out, signing until {@code until}. Stored as {@code secret|until ms}, comma-separated. */
    record Previous(String secret, Instant until) {

        static List<Previous> parse(String stored) {
            return Arrays.stream(stored.split(",")).filter(entry -> entry.contains("|"))
                    .map(entry -> new Previous(entry.substring(0, entry.lastIndexOf('|')),
                            Instant.ofEpochMilli(Long.parseLong(entry.substring(entry.lastIndexOf('|') + 1)))))
                    .toList();
        }
    }
}
