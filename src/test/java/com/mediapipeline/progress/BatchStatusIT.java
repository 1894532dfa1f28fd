package com.mediapipeline.progress;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static com.mediapipeline.testing.Api.send;
import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/v1/uploads/meta/status: many statuses in one request, each as the single status answers it. */
class BatchStatusIT extends ServiceIT {

    @Test
    void aThousandIdsInOneRequest() {
        String mine = Api.idOf(acme.create(10, "a.bin", null));
        String done = Api.idOf(acme.create(0, "empty.bin", null));
        String theirs = Api.idOf(Api.globex(base).create(10, null, null));
        List<String> tokens = new ArrayList<>(List.of(mine, done, theirs, "not-an-id", mine));
        while (tokens.size() < 1000) {
            tokens.add(UUID.randomUUID().toString());
        }
        HttpResponse<String> response = batch(tokens);
        assertEquals(200, response.statusCode(), response.body());
        @SuppressWarnings("unchecked")
        Map<String, Object> uploads = (Map<String, Object>) Api.json(response.body()).get("uploads");
        assertEquals(999, uploads.size(), "one entry per distinct token");
        assertEquals(acme.statusJson(mine), uploads.get(mine), "the same status as the single request");
        assertEquals("completed", ((Map<?, ?>) uploads.get(done)).get("status"));
        assertTrue(uploads.containsKey(theirs) && uploads.get(theirs) == null, "another business's upload is not there");
        assertTrue(uploads.containsKey("not-an-id") && uploads.get("not-an-id") == null);
        assertEquals(997, uploads.values().stream().filter(value -> value == null).count());
    }

    @Test
    void moreThanAThousandOrNoListIs400() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tokens.add(UUID.randomUUID().toString());
        }
        assertError(batch(tokens), 400, "bad_request");
        for (String body : new String[] {"{}", "{\"tokens\": null}", "{\"tokens\": [null]}", "{\"tokens\": \"x\"}", "[]", "{"}) {
            assertError(send(acme.request(acme.url("/api/v1/uploads/meta/status")).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/json")), 400, "bad_request");
        }
    }

    private HttpResponse<String> batch(List<String> tokens) {
        String body = tokens.stream().map(token -> "\"" + token + "\"").collect(Collectors.joining(",", "{\"tokens\": [", "]}"));
        return send(acme.request(acme.url("/api/v1/uploads/meta/status")).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }
}
