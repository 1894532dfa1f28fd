package com.mediapipeline.web;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Hands every API request that has a body on with that body watched by {@link StalledReads}. */
public class IdleBodyFilter extends HttpFilter {

    @Inject
    StalledReads reads;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response);
            return;
        }
        Watched watched = new Watched(request);
        try {
            chain.doFilter(watched, response);
        } finally {
            watched.forget();
        }
    }

    /** Opens the watched body when it is first asked for, so that a request that never reads it costs nothing. */
    private final class Watched extends HttpServletRequestWrapper {

        private WatchedBody body;

        Watched(HttpServletRequest request) {
            super(request);
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = reads.watch(super.getInputStream());
            }
            return body;
        }

        synchronized void forget() {
            if (body != null) {
                reads.forget(body);
            }
        }
    }
}
