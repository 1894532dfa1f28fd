package com.mediapipeline.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Decides once, first in the chain, what the proxy headers are worth, so that nothing after it can
 * be fooled: behind a {@link TrustedProxies trusted proxy} the request's remote address is the
 * forwarded client's; from any other peer the {@code X-Forwarded-*} and {@code Forwarded} headers
 * are removed, so that rate limits count the peer itself and {@code Location} uses the real Host.
 */
public class ForwardedHeadersFilter extends HttpFilter {

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    @Inject
    TrustedProxies proxies;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String peer = request.getRemoteAddr();
        if (proxies.trusts(peer)) {
            List<String> forwardedFor = Collections.list(request.getHeaders(FORWARDED_FOR));
            chain.doFilter(forwardedFor.isEmpty() ? request : new FromClient(request, proxies.client(peer, forwardedFor)), response);
        } else {
            chain.doFilter(Collections.list(request.getHeaderNames()).stream().anyMatch(ForwardedHeadersFilter::isForwarded)
                    ? new WithoutForwarded(request) : request, response);
        }
    }

    private static boolean isForwarded(String header) {
        return header.regionMatches(true, 0, "X-Forwarded-", 0, 12) || header.equalsIgnoreCase("Forwarded");
    }

    private static final class FromClient extends HttpServletRequestWrapper {

        private final String client;

        FromClient(HttpServletRequest request, String client) {
            super(request);
            this.client = client;
        }

        @Override
        public String getRemoteAddr() {
            return client;
        }

        @Override
        public String getRemoteHost() {
            return client;
        }
    }

    private static final class WithoutForwarded extends HttpServletRequestWrapper {

        WithoutForwarded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getHeader(String name) {
            return isForwarded(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isForwarded(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            return Collections.enumeration(Collections.list(super.getHeaderNames()).stream()
                    .filter(name -> !isForwarded(name)).toList());
        }
    }
}
