package com.mediapipeline.web;

import java.util.Locale;

/**
 * {@code X-HTTP-Method-Override}, as the filters that must agree on a request's method read it (the rate
 * limit, which leaves a PATCH's token to the TUS filter, and the TUS filter): a client that cannot send
 * PATCH, DELETE or OPTIONS names the method here.
 */
public final class MethodOverride {

    public static final String HEADER = "X-HTTP-Method-Override";

    private MethodOverride() {
    }

    /** Whether the header names a method at all: a blank one does not. */
    public static boolean given(String override) {
        return override != null && !override.isBlank();
    }

    /** The method a request names, in capitals: the header's when it gives one, else the request line's. */
    public static String effective(String method, String override) {
        return (given(override) ? override.trim() : method).toUpperCase(Locale.ROOT);
    }
}
