package com.mediapipeline.auth;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorResponses;
import com.mediapipeline.web.AccessLogFilter;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Every API request, REST and TUS alike, needs a known API key and a well-formed username; only
 * preflights (OPTIONS) pass without. The progress socket's handshake is left to its endpoint, which
 * authenticates the same way but answers with a close code (4401) that clients of sockets understand.
 */
public class AuthenticationFilter extends HttpFilter {

    /** The progress socket's handshakes: {@code /api/v1/ws/{upload_id}}, but not the tickets resource beside it. */
    private static final String HANDSHAKES = "/api/v1/ws/";
    private static final String TICKETS = HANDSHAKES + "tickets";

    @Inject
    Authentication authentication;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if ("OPTIONS".equals(request.getMethod()) || path.startsWith(HANDSHAKES) && !path.equals(TICKETS)) {
            chain.doFilter(request, response);
            return;
        }
        try {
            Caller caller = authentication.ofRequest(request.getHeader(Authentication.API_KEY_HEADER),
                    request.getHeader(Authentication.USERNAME_HEADER));
            request.setAttribute(AccessLogFilter.BUSINESS, caller.business());
            request.setAttribute(AccessLogFilter.USER, caller.username());
        } catch (ApiException e) {
            ErrorResponses.write(response, e);
            return;
        }
        chain.doFilter(request, response);
    }
}
