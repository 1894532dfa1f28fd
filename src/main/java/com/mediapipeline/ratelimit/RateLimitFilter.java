package com.mediapipeline.ratelimit;

import com.mediapipeline.auth.ApiKeys;
import com.mediapipeline.auth.Authentication;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.ErrorResponses;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.annotation.Metric;

import java.io.IOException;

/**
 * Every request to the API (REST, TUS, WebSocket handshake) takes a token of its caller's bucket:
 * a known API key's, else the client address's. Over the limit: 429 with Retry-After.
 */
public class RateLimitFilter extends HttpFilter {

    @Inject
    RateLimiter limiter;

    @Inject
    ApiKeys keys;

    @Inject
    @Metric(name = "ratelimit.rejected", absolute = true, description = "Requests refused with 429")
    Counter rejected;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Decision decision;
        try {
            decision = limiter.take(keys.bucketOf(request.getHeader(Authentication.API_KEY_HEADER))
                    .orElse("address:" + request.getRemoteAddr()));
        } catch (RuntimeException e) {
            ErrorResponses.write(response, e);
            return;
        }
        response.setHeader("RateLimit-Limit", Integer.toString(decision.limit()));
        response.setHeader("RateLimit-Remaining", Integer.toString(decision.remaining()));
        response.setHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            rejected.inc();
            response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            ErrorResponses.write(response, ErrorCode.RATE_LIMITED,
                    "Too many requests for this API key; retry after " + decision.retryAfterSeconds() + " s");
            return;
        }
        chain.doFilter(request, response);
    }
}
