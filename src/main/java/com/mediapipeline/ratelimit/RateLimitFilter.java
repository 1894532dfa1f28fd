package com.mediapipeline.ratelimit;

import com.mediapipeline.auth.ApiKeys;
import com.mediapipeline.auth.Authentication;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.ErrorResponses;
import com.mediapipeline.web.MethodOverride;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every request to the API (REST, TUS, WebSocket handshake) takes a token of its caller's bucket:
 * a known API key's, else the client address's. Over the limit: 429 with Retry-After. A PATCH of an
 * upload with a known key takes its token later, in the one script that also takes its stream slot and
 * lock (upload/PatchAdmission): the bucket is left in {@link #DEFERRED} for it, and a PATCH refused
 * before that (a bad username, a malformed request) takes its token here once it has been answered.
 */
public class RateLimitFilter extends HttpFilter {

    /** The request attribute that holds the bucket of a token left to the PATCH's admission; whoever takes the token removes it. */
    public static final String DEFERRED = RateLimitFilter.class.getName() + ".deferred";
    /** The TUS URL of one upload, whose id is a canonical UUID (upload.UploadId): nothing under it, such as meta/. */
    private static final Pattern UPLOAD = Pattern.compile("/api/v1/uploads/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Inject
    RateLimiter limiter;

    @Inject
    ApiKeys keys;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<String> key = keys.bucketOf(request.getHeader(Authentication.API_KEY_HEADER));
        String bucket = key.orElse("address:" + request.getRemoteAddr());
        if (key.isPresent() && patchesAnUpload(request)) {
            request.setAttribute(DEFERRED, bucket);
            try {
                chain.doFilter(request, response);
            } finally {
                if (request.getAttribute(DEFERRED) != null) {
                    takeAfterwards(bucket);
                }
            }
            return;
        }
        Decision decision;
        try {
            decision = limiter.take(bucket);
        } catch (RuntimeException e) {
            ErrorResponses.write(response, e);
            return;
        }
        if (answer(response, decision)) {
            chain.doFilter(request, response);
        }
    }

    /** Tells the caller where its bucket stands; when the decision refuses, answers 429 with Retry-After. Whether the request may go on. */
    public static boolean answer(HttpServletResponse response, Decision decision) throws IOException {
        response.setHeader("RateLimit-Limit", Integer.toString(decision.limit()));
        response.setHeader("RateLimit-Remaining", Integer.toString(decision.remaining()));
        response.setHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            ErrorResponses.write(response, ErrorCode.RATE_LIMITED,
                    "Too many requests for this API key; retry after " + decision.retryAfterSeconds() + " s");
            return false;
        }
        return true;
    }

    /** A PATCH of one upload, as the TUS filter reads the method: it takes its token along with its lock. */
    private static boolean patchesAnUpload(HttpServletRequest request) {
        return "PATCH".equals(MethodOverride.effective(request.getMethod(), request.getHeader(MethodOverride.HEADER)))
                && UPLOAD.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
    }

    /** The request was answered already: its token only counts against the bucket. */
    private void takeAfterwards(String bucket) {
        try {
            limiter.take(bucket);
        } catch (RuntimeException redisAway) {
            // the request has its answer; a token not counted now is no reason to change it
        }
    }
}
