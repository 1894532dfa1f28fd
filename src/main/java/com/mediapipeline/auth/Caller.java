package com.mediapipeline.auth;

/** Who is calling: the business an API key belongs to, and the user it names. */
public record Caller(String business, String username) {
}
