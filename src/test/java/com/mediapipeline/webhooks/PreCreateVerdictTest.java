package com.mediapipeline.webhooks;

import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.outbound.HookSender;
import com.mediapipeline.webhooks.PreCreateVerdict.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What each answer of the pre-create hook decides. */
class PreCreateVerdictTest {

    /** "A 2xx with an empty body, {} or {"reject": false} accepts." */
    @ParameterizedTest
    @ValueSource(strings = {"", " \n", "{}", "{\"reject\": false}", "{\"reject\": false, \"metadata\": null}", "{\"other\": [1, 2]}"})
    void a2xxThatDoesNotRejectAcceptsAsItIs(String body) {
        PreCreateVerdict verdict = PreCreateVerdict.of(reply(200, body));
        assertEquals(Outcome.ACCEPT, verdict.outcome());
        assertEquals(Optional.empty(), verdict.metadata());
        assertEquals(Outcome.ACCEPT, PreCreateVerdict.of(reply(204, body)).outcome());
    }

    /** "… and may carry {"metadata": {...}} which replaces the upload's metadata", re-encoded as TUS Upload-Metadata. */
    @Test
    void metadataInAnAcceptReplacesTheUploads() {
        PreCreateVerdict verdict = PreCreateVerdict.of(reply(200, "{\"metadata\": {\"filename\": \"résumé.pdf\", \"flag\": \"\"}}"));
        assertEquals(Outcome.ACCEPT, verdict.outcome());
        assertEquals(Optional.of("filename " + base64("résumé.pdf") + ",flag"), verdict.metadata());
        assertEquals(Optional.of(""), PreCreateVerdict.of(reply(201, "{\"reject\": false, \"metadata\": {}}")).metadata(),
                "an empty object leaves the upload without metadata");
    }

    @Test
    void aRejectSaysTheHooksMessageOrTheDefaultOne() {
        PreCreateVerdict verdict = PreCreateVerdict.of(reply(200, "{\"reject\": true, \"message\": \"quota exceeded\", \"metadata\": {\"a\": \"b\"}}"));
        assertEquals(Outcome.REJECT, verdict.outcome());
        assertEquals("quota exceeded", verdict.message());
        assertEquals(ErrorCode.REJECTED.message(), PreCreateVerdict.of(reply(200, "{\"reject\": true}")).message());
        assertEquals(ErrorCode.REJECTED.message(), PreCreateVerdict.of(reply(200, "{\"reject\": true, \"message\": 3}")).message());
    }

    /** "Any 4xx" rejects, whatever its body; a JSON message in it is passed on. */
    @Test
    void any4xxRejects() {
        assertEquals(new PreCreateVerdict(Outcome.REJECT, Optional.empty(), "not this file type"),
                PreCreateVerdict.of(reply(422, "{\"message\": \"not this file type\"}")));
        assertEquals(new PreCreateVerdict(Outcome.REJECT, Optional.empty(), ErrorCode.REJECTED.message()),
                PreCreateVerdict.of(reply(403, "<html>Forbidden</html>")));
        assertEquals(ErrorCode.REJECTED.message(), PreCreateVerdict.of(reply(403, "{\"message\": \"x\"} trailing")).message());
        assertEquals(Outcome.REJECT, PreCreateVerdict.of(reply(400, "")).outcome());
        assertEquals(Outcome.REJECT, PreCreateVerdict.of(reply(499, "{\"reject\": false}")).outcome());
    }

    /** No answer (timeout, connection refused), a redirect (never followed) or a server error leaves it undecided. */
    @ParameterizedTest
    @ValueSource(ints = {0, 301, 302, 304, 500, 502, 503, 599})
    void noAnswerARedirectOrA5xxIsUndecided(int status) {
        PreCreateVerdict verdict = PreCreateVerdict.of(reply(status, "{}"));
        assertEquals(Outcome.UNDECIDED, verdict.outcome());
        if (status == 0) {
            assertEquals(ErrorCode.HOOK_UNAVAILABLE.message(), verdict.message());
        }
    }

    /** A 2xx body that says something else than the contract's is not guessed at. */
    @ParameterizedTest
    @ValueSource(strings = {"ok", "{", "{} and more", "{}{}", "[]", "null", "true", "\"accept\"", "{\"reject\": \"yes\"}", "{\"reject\": 1}",
            "{\"metadata\": \"filename x\"}", "{\"metadata\": [\"a\"]}", "{\"metadata\": {\"size\": 3}}",
            "{\"metadata\": {\"a\": null}}", "{\"metadata\": {\"a\": {\"b\": \"c\"}}}",
            "{\"metadata\": {\"two words\": \"x\"}}", "{\"metadata\": {\"a,b\": \"x\"}}", "{\"metadata\": {\"\": \"x\"}}",
            "{\"metadata\": {\"naïve\": \"x\"}}"})
    void aBodyOutsideTheContractIsUndecided(String body) {
        assertEquals(Outcome.UNDECIDED, PreCreateVerdict.of(reply(200, body)).outcome(), body);
    }

    /** The hook's metadata is held to a client's limit of 4096 characters once encoded. */
    @Test
    void metadataPastTheLimitIsUndecided() {
        assertEquals(Outcome.ACCEPT, PreCreateVerdict.of(reply(200, "{\"metadata\": {\"k\": \"" + "x".repeat(3000) + "\"}}")).outcome());
        assertEquals(Outcome.UNDECIDED, PreCreateVerdict.of(reply(200, "{\"metadata\": {\"k\": \"" + "x".repeat(3100) + "\"}}")).outcome());
    }

    private static HookSender.Reply reply(int status, String body) {
        return new HookSender.Reply(status, body, status == 0 ? "HttpTimeoutException" : null, 5);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
