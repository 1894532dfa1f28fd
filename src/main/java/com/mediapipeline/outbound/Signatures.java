package com.mediapipeline.outbound;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signatures as the Standard Webhooks specification (standardwebhooks.com) defines them, so that
 * receivers verify with its published libraries: {@code v1,<base64 HMAC-SHA256 of id.timestamp.body>},
 * keyed with the bytes a {@code whsec_<base64>} secret encodes, one signature per secret, space-separated.
 */
public final class Signatures {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    private static final String PREFIX = "whsec_";
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    /** A new secret: 32 random bytes, as {@code whsec_<base64>}. */
    public static String newSecret() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Whether the text is a secret this class can sign with. */
    public static boolean valid(String secret) {
        try {
            return key(secret).length >= 24;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code webhook-signature} header's value: one signature per secret. */
    public static String header(String id, long timestampSeconds, String body, List<String> secrets) {
        String signed = id + "." + timestampSeconds + "." + body;
        return secrets.stream().map(secret -> "v1," + hmac(key(secret), signed)).collect(Collectors.joining(" "));
    }

    private static byte[] key(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    }

    private static String hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
