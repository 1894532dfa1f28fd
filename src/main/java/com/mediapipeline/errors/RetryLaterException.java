package com.mediapipeline.errors;

/** 429 {@code rate_limited}: the answer also says in {@code Retry-After} when to try again. */
public class RetryLaterException extends ApiException {

    private final long retryAfterSeconds;

    public RetryLaterException(String message, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
