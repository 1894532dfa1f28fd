package com.mediapipeline.outbound;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our signatures, checked by the Standard Webhooks library, which we did not write. */
class SignaturesTest {

    private static final String BODY = "{\"type\":\"upload.created\",\"data\":{\"filename\":\"é.bin\"}}";

    @Test
    void theLibraryVerifiesEachSecretOfAHeader() {
        String current = Signatures.newSecret();
        String previous = Signatures.newSecret();
        long now = Instant.now().getEpochSecond();
        String header = Signatures.header("msg_1", now, BODY, List.of(current, previous));
        Map<String, List<String>> headers = Map.of("webhook-id", List.of("msg_1"), "webhook-timestamp", List.of(Long.toString(now)),
                "webhook-signature", List.of(header));

        assertEquals(2, header.split(" ").length);
        assertDoesNotThrow(() -> new Webhook(current).verify(BODY, headers));
        assertDoesNotThrow(() -> new Webhook(previous).verify(BODY, headers));
        assertThrows(WebhookVerificationException.class, () -> new Webhook(Signatures.newSecret()).verify(BODY, headers));
        assertThrows(WebhookVerificationException.class, () -> new Webhook(current).verify(BODY + " ", headers));
    }

    @Test
    void aSecretIsWhsecAndAtLeast24Bytes() {
        assertTrue(Signatures.valid(Signatures.newSecret()));
        assertFalse(Signatures.valid("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[16])));
        assertFalse(Signatures.valid("secret"));
        assertFalse(Signatures.valid("whsec_not base64!"));
        assertFalse(Signatures.valid(null));
    }
}
