package com.mediapipeline.errors;

/** The JSON body of every error answer. */
public record ErrorBody(String error, String message) {

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code.code(), message == null ? code.message() : message);
    }
}
