package com.mediapipeline.errors;

/**
 * A response whose protocol reports errors as problem details ({@code application/problem+json})
 * rather than our plain JSON; {@link ErrorResponses} asks it how to tell each failure.
 */
public interface ProblemResponse {

    /** The problem a failure with this code and message is answered with; it may also set headers. */
    Problem problem(ErrorCode code, String message);
}
