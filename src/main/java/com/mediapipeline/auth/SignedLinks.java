package com.mediapipeline.auth;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Download links that work without an API key until they expire: HMAC-SHA256 over the file's path,
 * the expiry, the disposition and the key id, with the secrets of {@code mediapipeline.links.secrets}
 * ({@code kid:secret,…}). The first secret signs and all verify, so a secret can be rotated while the
 * links it signed live. A link is a credential like a key: it is checked here, in auth/, with it.
 */
@ApplicationScoped
public class SignedLinks {

    public static final String SETTING = "mediapipeline.links.secrets";
    public static final String EXPIRES = "expires";
    public static final String DISPOSITION = "disposition";
    public static final String KEY_ID = "kid";
    public static final String SIGNATURE = "signature";
    private static final int MIN_SECRET = 32;
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    /** As the link spells it, so that one link has one spelling (and a CDN one cache key). */
    private static final Pattern EPOCH_SECONDS = Pattern.compile("[1-9]\\d{0,11}");
    /** What the signature is for, so that these secrets can never sign anything a link could pass for. */
    private static final String PURPOSE = "media-pipeline download link v1";

    @Inject
    @ConfigProperty(name = SETTING)
    Optional<String> setting;

    /** By key id, the signing one first. */
    private final Map<String, byte[]> secrets = new LinkedHashMap<>();

    /** What a valid link grants: one file, until a time, shown inline or as an attachment. */
    public record Grant(String fileId, Instant expiresAt, String disposition, String kid) {
    }

    /** The query of a signed link. */
    public record Signed(String fileId, Instant expiresAt, String disposition, String kid, String signature) {

        public String query() {
            return EXPIRES + "=" + expiresAt.getEpochSecond() + "&" + DISPOSITION + "=" + disposition
                    + "&" + KEY_ID + "=" + kid + "&" + SIGNATURE + "=" + signature;
        }
    }

    @PostConstruct
    void parse() {
        for (String entry : setting.orElse("").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String kid = colon < 0 ? "" : entry.substring(0, colon).trim();
            String secret = colon < 0 ? "" : entry.substring(colon + 1).trim();
            InvalidSettingException.require(KID.matcher(kid).matches() && secret.length() >= MIN_SECRET
                            && secrets.putIfAbsent(kid, secret.getBytes(StandardCharsets.UTF_8)) == null, SETTING,
                    "must be kid:secret[,kid:secret…] with distinct key ids of letters, digits, '-' and '_' and secrets of at least "
                            + MIN_SECRET + " characters");
        }
    }

    /** Answers 503 when no secret is set, before anything else is asked of a link's creation. */
    public void requireEnabled() {
        if (secrets.isEmpty()) {
            throw new ApiException(ErrorCode.LINKS_DISABLED);
        }
    }

    /** Signs a link with the first secret; 503 when there is none. */
    public Signed sign(String fileId, Instant expiresAt, String disposition) {
        requireEnabled();
        Map.Entry<String, byte[]> signing = secrets.entrySet().iterator().next();
        Instant expiry = Instant.ofEpochSecond(expiresAt.getEpochSecond());
        return new Signed(fileId, expiry, disposition, signing.getKey(),
                signature(signing.getValue(), fileId, expiry.getEpochSecond(), disposition, signing.getKey()));
    }

    /** What the link grants, or 403 when it was not signed here, was changed, or has expired. */
    public Grant verify(String fileId, String expires, String disposition, String kid, String signature, Instant now) {
        byte[] secret = kid == null ? null : secrets.get(kid);
        if (secret == null || expires == null || !EPOCH_SECONDS.matcher(expires).matches() || disposition == null || signature == null) {
            throw new ApiException(ErrorCode.LINK_INVALID);
        }
        byte[] expected = signature(secret, fileId, Long.parseLong(expires), disposition, kid).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiException(ErrorCode.LINK_INVALID);
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(expires));
        if (!now.isBefore(expiresAt)) {
            throw new ApiException(ErrorCode.LINK_EXPIRED);
        }
        return new Grant(fileId, expiresAt, disposition, kid);
    }

    /** Over what does not depend on the method, so that one link serves GET and HEAD alike. */
    private static String signature(byte[] secret, String fileId, long expires, String disposition, String kid) {
        String signed = PURPOSE + "\n/api/v1/storage/" + fileId + "\n" + expires + "\n" + disposition + "\n" + kid;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
