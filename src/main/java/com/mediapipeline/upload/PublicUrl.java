package com.mediapipeline.upload;

import java.util.regex.Pattern;

/**
 * The absolute URL clients must use for a path, as seen from outside a proxy: the first
 * {@code X-Forwarded-Proto}/{@code X-Forwarded-Host} values when they are well-formed, otherwise
 * the request's own scheme and Host. Callers pass the forwarded values of a trusted proxy only
 * (web/ForwardedHeadersFilter removes anyone else's before a request gets here).
 */
public final class PublicUrl {

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private PublicUrl() {
    }

    public static boolean isHost(String value) {
        return value != null && HOST.matcher(value).matches();
    }

    /** As {@link #of(String, String, String, String, String)}, the host being the request's Host header if it is one, else its server's name and port. */
    public static String of(String path, String scheme, String hostHeader, String serverName, int serverPort,
                            String forwardedProto, String forwardedHost) {
        return of(path, scheme, isHost(hostHeader) ? hostHeader : serverName + ":" + serverPort, forwardedProto, forwardedHost);
    }

    public static String of(String path, String scheme, String host, String forwardedProto, String forwardedHost) {
        if (path.startsWith("http://") || path.startsWith("https://")) {
            return path;
        }
        String proto = first(forwardedProto);
        String publicHost = first(forwardedHost);
        return ("http".equalsIgnoreCase(proto) || "https".equalsIgnoreCase(proto) ? proto.toLowerCase() : scheme)
                + "://" + (isHost(publicHost) ? publicHost : host) + path;
    }

    private static String first(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return null;
        }
        return headerValue.split(",")[0].trim();
    }
}
