package com.mediapipeline.auth;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.redis.RedisKeys;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The configured API keys, and the check of a request's key and username. */
@ApplicationScoped
public class ApiKeys {

    static final String SETTING = "mediapipeline.api-keys";
    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());
    private static final Pattern BUSINESS = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Inject
    @ConfigProperty(name = SETTING)
    Optional<String> setting;

    /** A configured key, kept only as its SHA-256 digest. */
    private record Key(byte[] digest, String business) {
    }

    private List<Key> keys;

    @PostConstruct
    void load() {
        keys = parse(setting.orElse("")).entrySet().stream()
                .map(entry -> new Key(sha256(entry.getKey()), entry.getValue())).toList();
        if (keys.isEmpty()) {
            LOG.warning("No API keys configured: every API call answers 401. Set " + SETTING
                    + "=business:key[,business:key...] (or the MEDIAPIPELINE_API_KEYS environment variable).");
        } else {
            LOG.info(keys.size() + " API key(s) configured");
        }
    }

    /** The configured businesses (one or more keys each): whose webhooks this service fans out and delivers, whose expiry indexes the sweep reads. */
    public Set<String> businesses() {
        return keys.stream().map(Key::business).collect(Collectors.toUnmodifiableSet());
    }

    /** Who the headers say is calling, or the 401/400 that they deserve. */
    Caller callerOf(String apiKey, String username) {
        Key key = find(apiKey).orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED));
        return callerOf(key, username).orElseThrow(() -> new ApiException(ErrorCode.INVALID_USERNAME));
    }

    /** Who the headers say is calling, if they name a caller. */
    Optional<Caller> find(String apiKey, String username) {
        return find(apiKey).flatMap(key -> callerOf(key, username));
    }

    private static Optional<Caller> callerOf(Key key, String username) {
        return Caller.isUsername(username)
                ? Optional.of(new Caller(key.business(), username)) : Optional.empty();
    }

    /**
     * The rate-limit bucket of a known key: a digest of it, so that keys never appear in Redis, after its
     * business's hash tag, so that a PATCH takes its token in the script that takes its lock (one slot).
     * Empty for a missing or unknown key.
     */
    public Optional<String> bucketOf(String apiKey) {
        return find(apiKey).map(key -> RedisKeys.businessTag(key.business()) + ":key:" + HexFormat.of().formatHex(key.digest(), 0, 16));
    }

    /**
     * Compares digests, each in full and all of them, so that the time a guess takes says nothing
     * about how much of it was right (String.equals and a hash lookup stop at the first difference).
     */
    private Optional<Key> find(String apiKey) {
        if (apiKey == null) {
            return Optional.empty();
        }
        byte[] presented = sha256(apiKey);
        Key found = null;
        for (Key key : keys) {
            if (MessageDigest.isEqual(key.digest(), presented)) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java has SHA-256", e);
        }
    }

    /** Parses {@code business:key[,business:key...]}; a malformed entry stops start-up. */
    static Map<String, String> parse(String value) {
        Map<String, String> keys = new HashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            String business = colon < 0 ? "" : trimmed.substring(0, colon).trim();
            String key = colon < 0 ? "" : trimmed.substring(colon + 1).trim();
            InvalidSettingException.require(BUSINESS.matcher(business).matches() && !key.isEmpty() && !keys.containsKey(key),
                    SETTING, "must be business:key[,business:key...] with business names of letters, digits and ._- "
                            + "and distinct, non-empty keys; entry " + (keys.size() + 1) + " is not");
            if (key.length() < 16) {
                LOG.warning("The API key of business " + business + " is shorter than 16 characters: easy to guess");
            }
            keys.put(key, business);
        }
        return Map.copyOf(keys);
    }
}
