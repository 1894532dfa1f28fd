package com.mediapipeline.errors;

import java.util.Map;

/**
 * An error as RFC 9457 problem details: the code it is answered with (a protocol may tell a failure
 * more precisely than the code it was raised with), its problem type URI and the type's members.
 */
public record Problem(ErrorCode code, String type, String message, Map<String, Object> members) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String UNTYPED = "about:blank";
}
