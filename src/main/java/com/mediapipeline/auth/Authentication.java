package com.mediapipeline.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.Optional;

/**
 * The one way a caller is established, for every HTTP route ({@link AuthenticationFilter}) and for the
 * progress socket's handshake alike: a known API key and a well-formed username, or, on the handshake
 * only, a browser's single-use ticket, or, on a download only, a signed link.
 */
@ApplicationScoped
public class Authentication {

    public static final String API_KEY_HEADER = "X-API-KEY";
    public static final String USERNAME_HEADER = "X-Username";

    @Inject
    ApiKeys keys;

    @Inject
    TicketStore tickets;

    @Inject
    CurrentCaller current;

    @Inject
    SignedLinks links;

    /** The request's caller, kept for the request, or the 401/400 its headers deserve. */
    Caller ofRequest(String apiKey, String username) {
        Caller caller = keys.callerOf(apiKey, username);
        current.set(caller);
        return caller;
    }

    /** A signed link's grant, kept for the request, or the 403 it deserves. */
    SignedLinks.Grant ofLink(String fileId, String expires, String disposition, String kid, String signature) {
        SignedLinks.Grant grant = links.verify(fileId, expires, disposition, kid, signature, Instant.now());
        current.link(grant);
        return grant;
    }

    /** The caller of a handshake for this upload, if its headers or its ticket (used up either way) name one. */
    public Optional<Caller> ofHandshake(String apiKey, String username, String ticket, String uploadId) {
        if (ticket != null) {
            return tickets.redeem(ticket, uploadId);
        }
        return keys.find(apiKey, username);
    }
}
