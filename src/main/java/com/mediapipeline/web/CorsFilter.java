package com.mediapipeline.web;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CORS for every route, REST and TUS, so that browser clients work: preflights are answered here
 * (without authentication), and responses expose the TUS headers a browser client must read.
 */
public class CorsFilter extends HttpFilter {

    static final String SETTING = "mediapipeline.cors.allowed-origins";
    private static final String METHODS = "GET, HEAD, POST, PATCH, DELETE, OPTIONS";
    private static final String ALLOWED_HEADERS = "Content-Type, Upload-Offset, Upload-Length, Upload-Metadata, "
            + "Upload-Defer-Length, Upload-Concat, Upload-Checksum, Tus-Resumable, X-HTTP-Method-Override, "
            + "X-Requested-With, X-API-KEY, X-Username, Range, If-Range, If-None-Match, If-Modified-Since, "
            + "Upload-Draft-Interop-Version, Upload-Complete, Content-Digest, Repr-Digest, Content-Disposition";
    private static final String EXPOSED_HEADERS = "Location, Upload-Offset, Upload-Length, Upload-Metadata, "
            + "Upload-Defer-Length, Upload-Concat, Upload-Expires, Tus-Version, Tus-Resumable, Tus-Extension, "
            + "Tus-Max-Size, Tus-Checksum-Algorithm, Content-Disposition, Content-Range, Content-Length, "
            + "Accept-Ranges, ETag, Last-Modified, Retry-After, Upload-Complete, Upload-Limit, Upload-Draft-Interop-Version";

    @Inject
    @ConfigProperty(name = SETTING, defaultValue = "*")
    String allowedOrigins;

    private Set<String> origins;

    @PostConstruct
    void parse() {
        origins = Arrays.stream(allowedOrigins.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        // the answer depends on the Origin, with or without one: a shared cache (a CDN before signed links) keeps them apart
        response.addHeader("Vary", "Origin");
        if (origin == null || !allows(origin)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
        if ("OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", METHODS);
            response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", "86400");
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        response.setHeader("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        chain.doFilter(request, response);
    }

    private boolean allows(String origin) {
        return origins.contains("*") || origins.contains(origin);
    }
}
