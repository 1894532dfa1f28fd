package com.mediapipeline.upload;

import me.desair.tus.server.exception.TusException;

/**
 * Asked once a PATCH's bytes are on disk and before anything records or announces them: does the
 * body match what the client said it sent ({@code Upload-Checksum})? A refusal rolls the PATCH back.
 */
@FunctionalInterface
public interface BodyCheck {

    BodyCheck NONE = () -> { };

    void verify() throws TusException;
}
