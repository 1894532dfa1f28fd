package com.mediapipeline.upload;

import java.io.IOException;

/** The client stopped sending mid-PATCH (it dropped, or stalled past the idle timeout); what it sent was kept. */
public class ClientGoneException extends IOException {

    public ClientGoneException(IOException cause) {
        super("The client stopped sending: " + cause.getMessage(), cause);
    }
}
