package com.mediapipeline.webhooks;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.RetryLaterException;
import com.mediapipeline.outbound.HookSender;
import com.mediapipeline.outbound.Signatures;
import com.mediapipeline.upload.CreationHook.Creation;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hook's settings, what it sends, and what it makes of a verdict, with fail-open on and off. */
class PreCreateHookTest {

    private static final String SECRET = Signatures.newSecret();
    private static final Creation CREATION = new Creation("acme", "alice", null, Map.of("filename", "a.txt"), false);

    private final List<String> bodies = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private HookSender.Reply answer = new HookSender.Reply(204, "", null, 1);

    @Test
    void withoutAUrlNothingIsAsked() {
        PreCreateHook hook = hook(null, null, false);
        assertEquals(Optional.empty(), hook.admit(CREATION));
        assertTrue(bodies.isEmpty());
    }

    @Test
    void aUrlNeedsAValidSecretAndAnHttpUrl() {
        assertThrows(InvalidSettingException.class, () -> hook("http://127.0.0.1:9/hook", null, false));
        assertThrows(InvalidSettingException.class, () -> hook("http://127.0.0.1:9/hook", "not-a-secret", false));
        assertThrows(InvalidSettingException.class, () -> hook("http://127.0.0.1:9/hook", "whsec_c2hvcnQ=", false));
        assertThrows(InvalidSettingException.class, () -> hook("ftp://127.0.0.1/hook", SECRET, false));
        assertThrows(InvalidSettingException.class, () -> hook("/hook", SECRET, false));
        assertThrows(InvalidSettingException.class, () -> hook("http://exa mple/hook", SECRET, false));
        PreCreateHook tooQuick = unvalidated("http://127.0.0.1:9/hook", SECRET, false);
        tooQuick.timeout = Duration.ofMillis(10);
        assertThrows(InvalidSettingException.class, tooQuick::validate);
    }

    /** The payload of the contract, a fresh msg_ id per call. */
    @Test
    void everyCreationIsSentWithItsFacts() {
        PreCreateHook hook = hook("http://127.0.0.1:9/hook", SECRET, false);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("filename", "résumé.pdf");
        metadata.put("flag", "");
        hook.admit(new Creation("acme", "alice", 42L, metadata, true));
        hook.admit(CREATION);
        JsonObject sent = Json.createReader(new StringReader(bodies.get(0))).readObject();
        assertEquals("upload.pre-create", sent.getString("type"));
        Instant.parse(sent.getString("timestamp"));
        JsonObject data = sent.getJsonObject("data");
        assertEquals("acme", data.getString("business"));
        assertEquals("alice", data.getString("username"));
        assertEquals(42, data.getJsonNumber("size").longValue());
        assertEquals(Json.createObjectBuilder().add("filename", "résumé.pdf").add("flag", "").build(), data.getJsonObject("metadata"));
        assertEquals("ietf", data.getString("protocol"));
        JsonObject second = Json.createReader(new StringReader(bodies.get(1))).readObject().getJsonObject("data");
        assertTrue(second.isNull("size"), "a deferred length is sent as null");
        assertEquals("tus", second.getString("protocol"));
        assertTrue(ids.get(0).matches("msg_[0-9a-f]{32}") && !ids.get(0).equals(ids.get(1)), ids.toString());
    }

    @Test
    void anAcceptKeepsOrReplacesTheMetadata() {
        PreCreateHook hook = hook("http://127.0.0.1:9/hook", SECRET, false);
        assertEquals(Optional.empty(), hook.admit(CREATION));
        answer = new HookSender.Reply(200, "{\"metadata\": {\"filename\": \"b.txt\"}}", null, 1);
        assertEquals(Optional.of("filename Yi50eHQ="), hook.admit(CREATION));
    }

    @Test
    void aRejectIs403WithTheHooksMessageFailOpenOrNot() {
        answer = new HookSender.Reply(200, "{\"reject\": true, \"message\": \"quota exceeded\"}", null, 1);
        for (boolean failOpen : new boolean[] {false, true}) {
            ApiException refused = assertThrows(ApiException.class, () -> hook("http://127.0.0.1:9/hook", SECRET, failOpen).admit(CREATION));
            assertEquals(ErrorCode.REJECTED, refused.code());
            assertEquals("quota exceeded", refused.getMessage());
        }
    }

    @Test
    void noAnswerIs503UnlessFailOpenAcceptsTheUploadAsItIs() {
        for (HookSender.Reply none : List.of(new HookSender.Reply(0, "", "no answer within PT1S", 1000),
                new HookSender.Reply(500, "", null, 1), new HookSender.Reply(302, "", null, 1))) {
            answer = none;
            RetryLaterException refused = assertThrows(RetryLaterException.class, () -> hook("http://127.0.0.1:9/hook", SECRET, false).admit(CREATION));
            assertEquals(ErrorCode.HOOK_UNAVAILABLE, refused.code());
            assertEquals(PreCreateHook.RETRY_AFTER_SECONDS, refused.retryAfterSeconds());
            assertEquals(Optional.empty(), hook("http://127.0.0.1:9/hook", SECRET, true).admit(CREATION), none.toString());
        }
    }

    /** A 2xx that cannot be understood may be a refusal, or metadata the upload must have: fail-open does not guess. */
    @Test
    void anAnswerThatCannotBeUnderstoodIs503EvenFailOpen() {
        for (String body : List.of("{\"metadata\": {\"n\": 1}}", "{\"reject\": true, \"message\": \"" + "x".repeat(5000), "\uFEFF{\"reject\": true}")) {
            answer = new HookSender.Reply(200, body, null, 1);
            for (boolean failOpen : new boolean[] {false, true}) {
                ApiException refused = assertThrows(ApiException.class, () -> hook("http://127.0.0.1:9/hook", SECRET, failOpen).admit(CREATION));
                assertEquals(ErrorCode.HOOK_UNAVAILABLE, refused.code(), body);
            }
        }
    }

    private PreCreateHook hook(String url, String secret, boolean failOpen) {
        PreCreateHook hook = unvalidated(url, secret, failOpen);
        hook.validate();
        return hook;
    }

    private PreCreateHook unvalidated(String url, String secret, boolean failOpen) {
        PreCreateHook hook = new PreCreateHook();
        hook.url = Optional.ofNullable(url);
        hook.secret = Optional.ofNullable(secret);
        hook.timeout = Duration.ofSeconds(5);
        hook.failOpen = failOpen;
        hook.sender = new HookSender() {
            @Override
            public Reply post(URI destination, String id, String body, List<String> secrets, Duration deadline) {
                assertEquals(List.of(SECRET), secrets);
                assertEquals(Duration.ofSeconds(5), deadline);
                ids.add(id);
                bodies.add(body);
                return answer;
            }
        };
        return hook;
    }
}
