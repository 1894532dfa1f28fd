package com.mediapipeline.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Authenticates a request from its two headers and remembers the caller for the request. */
@ApplicationScoped
public class Authentication {

    public static final String API_KEY_HEADER = "X-API-KEY";
    public static final String USERNAME_HEADER = "X-Username";

    @Inject
    ApiKeys keys;

    @Inject
    CurrentCaller current;

    public Caller authenticate(String apiKey, String username) {
        Caller caller = keys.authenticate(apiKey, username);
        current.set(caller);
        return caller;
    }
}
