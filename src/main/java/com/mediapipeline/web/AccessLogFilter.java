package com.mediapipeline.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One key=value line per API request: method, path, status, time, and the upload, business and
 * user it concerned. Headers are never logged, so neither are API keys (tickets stay out too:
 * the query string is not logged).
 */
public class AccessLogFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger("com.mediapipeline.access");
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Request attributes in which authentication leaves who called, for this log to name. */
    public static final String BUSINESS = "mediapipeline.business";
    public static final String USER = "mediapipeline.user";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            String path = request.getRequestURI();
            String location = response.getHeader("Location");
            Matcher id = UPLOAD_ID.matcher(location == null ? path : location);
            LOG.info("access method=" + request.getMethod() + " path=" + path.replaceAll("[\\s\"]", "_")
                    + " status=" + response.getStatus() + " ms=" + (System.nanoTime() - start) / 1_000_000
                    + " upload=" + (id.find() ? id.group() : "-")
                    + " business=" + attribute(request, BUSINESS) + " user=" + attribute(request, USER));
        }
    }

    private static Object attribute(HttpServletRequest request, String name) {
        Object value = request.getAttribute(name);
        return value == null ? "-" : value;
    }
}
