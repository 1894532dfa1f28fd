package com.mediapipeline.testing;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public final class Responses {

    private Responses() {
    }

    /** The answer has the status, is JSON, and names the error code. */
    public static void assertError(HttpResponse<String> response, int status, String code) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                "error answers are JSON: " + response.headers().map());
        assertEquals(code, Api.json(response.body()).get("error"), response.body());
    }
}
