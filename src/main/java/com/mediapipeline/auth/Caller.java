package com.mediapipeline.auth;

import java.util.regex.Pattern;

/** Who is calling: the business an API key belongs to, and the user it names. */
public record Caller(String business, String username) {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    /** Whether a text is a username a caller may have (X-Username). */
    public static boolean isUsername(String text) {
        return text != null && USERNAME.matcher(text).matches();
    }
}
