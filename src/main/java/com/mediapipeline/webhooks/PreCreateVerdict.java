package com.mediapipeline.webhooks;

import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.outbound.HookSender;
import com.mediapipeline.upload.UploadMetadata;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an answer of the pre-create hook decides. A 2xx accepts, with an empty body, {@code {}} or
 * {@code {"reject": false}}, and may carry {@code {"metadata": {key: string}}} to stand in for the
 * upload's; with {@code {"reject": true, "message": "…"}} it rejects, as any 4xx does. No answer,
 * a 3xx or 5xx, or a 2xx that says anything else leaves the upload undecided.
 *
 * @param metadata the hook's metadata, encoded as {@code Upload-Metadata}, when it accepts with some
 * @param message  what the client is told when the upload is not accepted
 */
record PreCreateVerdict(Outcome outcome, Optional<String> metadata, String message) {

    enum Outcome { ACCEPT, REJECT, UNDECIDED }

    private static final PreCreateVerdict ACCEPT = new PreCreateVerdict(Outcome.ACCEPT, Optional.empty(), null);
    private static final PreCreateVerdict UNUSABLE = undecided("The pre-create hook's answer could not be understood; retry shortly");

    static PreCreateVerdict of(HookSender.Reply reply) {
        if (reply.status() >= 400 && reply.status() < 500) {
            return reject(object(reply.body()).orElse(JsonValue.EMPTY_JSON_OBJECT));
        }
        if (reply.status() == 0) {
            return undecided(ErrorCode.HOOK_UNAVAILABLE.message());
        }
        if (!reply.success()) {
            return undecided("The pre-create hook failed (it answered " + reply.status() + "); retry shortly");
        }
        if (reply.body().isBlank()) {
            return ACCEPT;
        }
        Optional<JsonObject> answer = object(reply.body());
        if (answer.isEmpty()) {
            return UNUSABLE;
        }
        JsonValue.ValueType reject = answer.get().getOrDefault("reject", JsonValue.FALSE).getValueType();
        if (reject == JsonValue.ValueType.TRUE) {
            return reject(answer.get());
        }
        return reject == JsonValue.ValueType.FALSE ? accept(answer.get().getOrDefault("metadata", JsonValue.NULL)) : UNUSABLE;
    }

    /** With the hook's metadata in place of the upload's, when it is an object of strings that TUS can carry. */
    private static PreCreateVerdict accept(JsonValue metadata) {
        if (metadata.getValueType() == JsonValue.ValueType.NULL) {
            return ACCEPT;
        }
        if (!(metadata instanceof JsonObject pairs) || !pairs.values().stream().allMatch(JsonString.class::isInstance)) {
            return UNUSABLE;
        }
        Map<String, String> replaced = new LinkedHashMap<>();
        pairs.forEach((key, value) -> replaced.put(key, ((JsonString) value).getString()));
        return UploadMetadata.encode(replaced)
                .map(encoded -> new PreCreateVerdict(Outcome.ACCEPT, Optional.of(encoded), null))
                .orElse(UNUSABLE);
    }

    /** Rejected, with the hook's message for the client, or the default one when it gave none. */
    private static PreCreateVerdict reject(JsonObject answer) {
        JsonValue message = answer.getOrDefault("message", JsonValue.NULL);
        String told = message instanceof JsonString text && !text.getString().isBlank() ? text.getString() : ErrorCode.REJECTED.message();
        return new PreCreateVerdict(Outcome.REJECT, Optional.empty(), told);
    }

    private static PreCreateVerdict undecided(String message) {
        return new PreCreateVerdict(Outcome.UNDECIDED, Optional.empty(), message);
    }

    /** The body as one JSON object and nothing after it (a JsonReader would take "{} and more" for "{}"). */
    private static Optional<JsonObject> object(String body) {
        try (JsonParser parser = Json.createParser(new StringReader(body))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                return Optional.empty();
            }
            JsonObject object = parser.getObject();
            return parser.hasNext() ? Optional.empty() : Optional.of(object);
        } catch (JsonException notJson) {
            return Optional.empty();
        }
    }
}
