package com.mediapipeline.auth;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.enterprise.context.RequestScoped;

import java.util.Optional;

/** Who the current request comes from, set by {@link AuthenticationFilter}: a caller with a key, or a signed link. */
@RequestScoped
public class CurrentCaller {

    private Caller caller;
    private SignedLinks.Grant link;

    /** The caller; a request that reached a route without one is answered 401, whatever let it through. */
    public Caller get() {
        if (caller == null) {
            throw new ApiException(ErrorCode.UNAUTHORIZED);
        }
        return caller;
    }

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The signed link the request came with instead of a key, if it did. */
    public Optional<SignedLinks.Grant> link() {
        return Optional.ofNullable(link);
    }

    void link(SignedLinks.Grant grant) {
        this.link = grant;
    }
}
