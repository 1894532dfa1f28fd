package com.mediapipeline.errors;

/** 429 {@code rate_limited}, or another code: the answer also says in {@code Retry-After} when to try again. */
public class RetryLaterException extends ApiException {

    private final long retryAfterSeconds;

    public RetryLaterException(String message, long retryAfterSeconds) {
        this(ErrorCode.RATE_LIMITED, message, retryAfterSeconds);
    }

    public RetryLaterException(ErrorCode code, String message, long retryAfterSeconds) {
        super(code, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
