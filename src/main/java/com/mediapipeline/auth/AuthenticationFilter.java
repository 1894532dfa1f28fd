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
import java.util.regex.Pattern;

/**
 * Every API request, REST and TUS alike, needs a known API key and a well-formed username. Two kinds
 * pass without: OPTIONS (a preflight, TUS discovery; also when {@code X-HTTP-Method-Override} names it),
 * and the progress socket's handshake, which its endpoint authenticates the same way but answers with
 * the close code that socket clients understand (4401).
 */
public class AuthenticationFilter extends HttpFilter {

    private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
    /** {@code /api/v1/ws/{upload_id}}; the tickets resource beside it is a plain POST. */
    private static final Pattern HANDSHAKE = Pattern.compile("/api/v1/ws/(?!tickets$)[^/]+");

    @Inject
    Authentication authentication;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isOptions(request) || isHandshake(request)) {
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

    private static boolean isOptions(HttpServletRequest request) {
        String override = request.getHeader(METHOD_OVERRIDE);
        String method = override == null || override.isBlank() ? request.getMethod() : override.trim();
        return "OPTIONS".equalsIgnoreCase(method);
    }

    /** Judged on the decoded, normalised path the container routes by, not the raw URI. */
    private static boolean isHandshake(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && HANDSHAKE.matcher(path).matches();
    }
}
