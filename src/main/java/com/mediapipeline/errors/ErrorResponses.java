package com.mediapipeline.errors;

import com.mediapipeline.config.JsonMapping;
import com.mediapipeline.redis.RedisUnavailableException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The one writer of error bodies, for JAX-RS responses and for raw servlet responses. */
public final class ErrorResponses {

    private static final String RETRY_AFTER = "Retry-After";
    /** An error is about one moment: no cache (a CDN in front of signed links included) may keep it. */
    private static final String CACHE_CONTROL = "Cache-Control";
    private static final String NO_STORE = "no-store";
    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    public static Response response(ApiException e) {
        Response response = response(e.code(), e.getMessage());
        return e instanceof RetryLaterException later
                ? Response.fromResponse(response).header(RETRY_AFTER, later.retryAfterSeconds()).build() : response;
    }

    public static Response response(ErrorCode code, String message) {
        return Response.status(code.status())
                .header(CACHE_CONTROL, NO_STORE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(json(code, message))
                .build();
    }

    /**
     * Replaces whatever the response buffered so far with the JSON error, or, for a protocol that
     * speaks them, the problem details that carry it; headers already set stay.
     */
    public static void write(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        if (response instanceof ProblemResponse protocol) {
            Problem problem = protocol.problem(code, message);
            write(response, problem.code().status(), Problem.MEDIA_TYPE, problemJson(problem));
        } else {
            write(response, code.status(), MediaType.APPLICATION_JSON, json(code, message));
        }
    }

    private static void write(HttpServletResponse response, int status, String type, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader(CACHE_CONTROL, NO_STORE);
        response.setContentType(type);
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /**
     * A failure on a servlet path (the filters, TUS), mapped as the JAX-RS mappers map it: an
     * {@link ApiException} says its code, Redis' failure is 503, anything else is logged and 500.
     */
    public static void write(HttpServletResponse response, RuntimeException failure) throws IOException {
        if (failure instanceof RetryLaterException later) {
            response.setHeader(RETRY_AFTER, Long.toString(later.retryAfterSeconds()));
        }
        if (failure instanceof ApiException e) {
            write(response, e.code(), e.getMessage());
        } else if (failure instanceof RedisUnavailableException) {
            write(response, ErrorCode.REDIS_UNAVAILABLE, null);
        } else {
            LOG.log(Level.SEVERE, "Unhandled error", failure);
            write(response, ErrorCode.INTERNAL_ERROR, null);
        }
    }

    /** RFC 9457's members, then ours ({@code error}, {@code message}: the same as every error body), then the type's. */
    private static String problemJson(Problem problem) {
        ErrorBody ours = ErrorBody.of(problem.code(), problem.message());
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.type());
        members.put("title", problem.code().message());
        members.put("status", problem.code().status());
        members.put("detail", ours.message());
        members.put("error", ours.error());
        members.put("message", ours.message());
        members.putAll(problem.members());
        return JsonMapping.JSONB.toJson(members);
    }

    static String json(ErrorCode code, String message) {
        return JsonMapping.JSONB.toJson(ErrorBody.of(code, message));
    }
}
