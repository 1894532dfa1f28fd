package com.mediapipeline.errors;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one writer of error bodies, for JAX-RS responses and for raw servlet responses. */
public final class ErrorResponses {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final String RETRY_AFTER = "Retry-After";

    private ErrorResponses() {
    }

    public static Response response(ApiException e) {
        Response response = response(e.code(), e.getMessage());
        return e instanceof RetryLaterException later
                ? Response.fromResponse(response).header(RETRY_AFTER, later.retryAfterSeconds()).build() : response;
    }

    public static Response response(ErrorCode code, String message) {
        return Response.status(code.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json(code, message))
                .build();
    }

    /** Replaces whatever the response buffered so far with the JSON error; headers already set stay. */
    public static void write(HttpServletResponse response, int status, ErrorCode code, String message)
            throws IOException {
        byte[] body = json(code, message).getBytes(StandardCharsets.UTF_8);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    public static void write(HttpServletResponse response, ApiException e) throws IOException {
        if (e instanceof RetryLaterException later) {
            response.setHeader(RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
        }
        write(response, e.code().status(), e.code(), e.getMessage());
    }

    static String json(ErrorCode code, String message) {
        return JSONB.toJson(ErrorBody.of(code, message));
    }
}
