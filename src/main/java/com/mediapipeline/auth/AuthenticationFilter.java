package com.mediapipeline.auth;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.ErrorResponses;
import com.mediapipeline.web.AccessLogFilter;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every API request, REST and TUS alike, needs a known API key and a well-formed username. Two kinds
 * pass without: OPTIONS (a preflight, TUS discovery; on the TUS routes also when
 * {@code X-HTTP-Method-Override} names it, since only TUS honours the override), and the progress
 * sockets' handshakes, which its endpoint authenticates the same way but answers with the close code
 * that socket clients understand (4401). Both are judged on the raw URI as well as on the path the
 * container routes by, so that no encoding, {@code ..} or {@code ;} makes one thing look like the other.
 */
public class AuthenticationFilter extends HttpFilter {

    private static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
    /** {@code /api/v1/ws} and {@code /api/v1/ws/{upload_id}}: an id is lowercase hex and hyphens, nothing that decodes or normalises. */
    private static final Pattern HANDSHAKE = Pattern.compile("/api/v1/ws(/[0-9a-f-]+)?");
    /** The TUS routes, as the TUS filter takes them: the uploads but not the JAX-RS resources under meta/. */
    private static final Pattern TUS = Pattern.compile("/api/v1/uploads(/(?!meta/)[^;%]*)?");
    /** {@code /api/v1/storage/{file_id}}, as a signed link names it. */
    private static final Pattern STORED_FILE = Pattern.compile("/api/v1/storage/([0-9a-f-]+)");
    private static final Set<String> LINK_PARAMETERS =
            Set.of(SignedLinks.EXPIRES, SignedLinks.DISPOSITION, SignedLinks.KEY_ID, SignedLinks.SIGNATURE);

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
            if (isSignedDownload(request)) {
                // a link decides alone, whatever key comes with it: the query is the link, exactly as signed
                if (!request.getParameterMap().keySet().equals(LINK_PARAMETERS)
                        || request.getParameterMap().values().stream().anyMatch(values -> values.length != 1)) {
                    throw new ApiException(ErrorCode.LINK_INVALID);
                }
                SignedLinks.Grant grant = authentication.ofLink(fileIdOf(request), request.getParameter(SignedLinks.EXPIRES),
                        request.getParameter(SignedLinks.DISPOSITION), request.getParameter(SignedLinks.KEY_ID),
                        request.getParameter(SignedLinks.SIGNATURE));
                request.setAttribute(AccessLogFilter.USER, "link:" + grant.kid());
            } else {
                Caller caller = authentication.ofRequest(request.getHeader(Authentication.API_KEY_HEADER),
                        request.getHeader(Authentication.USERNAME_HEADER));
                request.setAttribute(AccessLogFilter.BUSINESS, caller.business());
                request.setAttribute(AccessLogFilter.USER, caller.username());
            }
        } catch (ApiException e) {
            ErrorResponses.write(response, e);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isOptions(HttpServletRequest request) {
        String override = request.getHeader(METHOD_OVERRIDE);
        if (override == null || override.isBlank() || !onBothPaths(request, TUS)) {
            return "OPTIONS".equals(request.getMethod());
        }
        return "OPTIONS".equalsIgnoreCase(override.trim());
    }

    /** A GET or HEAD of one stored file that brings a signature: the link, not a key, decides. */
    private static boolean isSignedDownload(HttpServletRequest request) {
        return ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
                && onBothPaths(request, STORED_FILE) && request.getParameter(SignedLinks.SIGNATURE) != null;
    }

    private static String fileIdOf(HttpServletRequest request) {
        Matcher file = STORED_FILE.matcher(request.getRequestURI().substring(request.getContextPath().length()));
        return file.matches() ? file.group(1) : null;
    }

    private static boolean isHandshake(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && onBothPaths(request, HANDSHAKE);
    }

    /** The raw URI (what JAX-RS routes by) and the decoded, normalised path (what the container maps) both match. */
    private static boolean onBothPaths(HttpServletRequest request, Pattern pattern) {
        String raw = request.getRequestURI().substring(request.getContextPath().length());
        String mapped = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return pattern.matcher(raw).matches() && pattern.matcher(mapped).matches();
    }
}
