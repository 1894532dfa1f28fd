package com.mediapipeline.auth;

import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/** The authenticated caller of the current request, set by the authentication filters. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;

    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("No authenticated caller on this request");
        }
        return caller;
    }

    /** The caller, if this request was authenticated (the access log asks after the fact). */
    public Optional<Caller> find() {
        return Optional.ofNullable(caller);
    }

    void set(Caller caller) {
        this.caller = caller;
    }
}
