package com.mediapipeline.upload;

import me.desair.tus.server.upload.UploadInfo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * TUS's {@code Upload-Metadata}: comma-separated pairs of a key (printable ASCII, no space or comma)
 * and its value in base64, at most {@value #MAX_LENGTH} characters. One rule for what a client sends
 * and for what the pre-create hook puts in its place.
 */
public final class UploadMetadata {

    static final int MAX_LENGTH = 4096;
    private static final String KEY = "[!-+\\--~]+";
    private static final Pattern KEY_ONLY = Pattern.compile(KEY);
    private static final Pattern FORMAT = Pattern.compile(KEY + "( [A-Za-z0-9+/]*={0,2})?(," + KEY + "( [A-Za-z0-9+/]*={0,2})?)*");

    private UploadMetadata() {
    }

    /**
     * Whether the header is well-formed, within the length, and names each key once. TUS wants keys
     * unique; tus-java-server reads them ignoring case and keeps the last, so {@code Filename} and
     * {@code filename} would be one key to the pre-create hook and the status, but two to a client
     * reading the header back.
     */
    static boolean valid(String encoded) {
        if (encoded.length() > MAX_LENGTH || !FORMAT.matcher(encoded.trim()).matches()) {
            return false;
        }
        List<String> keys = Arrays.stream(encoded.trim().split(",")).map(pair -> pair.trim().split(" ")[0].toLowerCase(Locale.ROOT)).toList();
        return keys.size() == new HashSet<>(keys).size();
    }

    /**
     * The pairs as the header ({@code ""} for none), or nothing when a key cannot be one (it would be
     * read back as other keys) or the header would be longer than a client's may be.
     */
    public static Optional<String> encode(Map<String, String> metadata) {
        if (!metadata.keySet().stream().allMatch(key -> KEY_ONLY.matcher(key).matches())) {
            return Optional.empty();
        }
        // a key without a value is sent alone: it decodes to the empty value it had
        String encoded = metadata.entrySet().stream()
                .map(pair -> pair.getValue().isEmpty() ? pair.getKey() : pair.getKey() + " "
                        + Base64.getEncoder().encodeToString(pair.getValue().getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.joining(","));
        return encoded.length() <= MAX_LENGTH ? Optional.of(encoded) : Optional.empty();
    }

    /** The upload's metadata as tus-java-server decodes it, a key without a value given the empty one. */
    static Map<String, String> decoded(UploadInfo info) {
        Map<String, String> decoded = new LinkedHashMap<>(info.getMetadata());
        decoded.replaceAll((key, value) -> value == null ? "" : value);
        return decoded;
    }
}
