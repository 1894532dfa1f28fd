package com.mediapipeline.storage;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Download headers built from client-chosen metadata, so nothing a client put in a filename or
 * file type can break out of its header.
 */
public final class DownloadHeaders {

    public static final String DEFAULT_TYPE = "application/octet-stream";
    private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
    private static final Pattern MEDIA_TYPE =
            Pattern.compile(TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"[^\"\\\\\\p{Cntrl}]*\"))*");
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private DownloadHeaders() {
    }

    /** The client's {@code filetype} if it is a well-formed media type, else octet-stream. */
    public static String contentType(String filetype) {
        return filetype != null && MEDIA_TYPE.matcher(filetype).matches() ? filetype : DEFAULT_TYPE;
    }

    /**
     * The disposition with an ASCII {@code filename} fallback and the exact name as RFC 5987 {@code filename*}.
     *
     * @param type {@code attachment} (save it) or {@code inline} (show it, as a {@code <video>} does)
     */
    public static String contentDisposition(String type, String filename) {
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        filename.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/' ? (char) c : '_'));
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (Character.isLetterOrDigit(c) && c < 0x80 || ATTR_CHARS.indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
