package com.mediapipeline.upload;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import org.junit.jupiter.api.Test;

import static com.mediapipeline.testing.Api.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The TUS termination extension in raw HTTP (https://tus.io/protocols/resumable-upload). */
class TerminationIT extends ServiceIT {

    /** termination: "the Server SHOULD free resources, and MUST respond 204"; later requests get 404. */
    @Test
    void terminationRemovesTheUpload() {
        String upload = acme.create(3, null, null);
        assertEquals(204, send(acme.request(upload).DELETE()).statusCode());
        assertEquals(404, acme.head(upload).statusCode());
        assertEquals(404, acme.status(Api.idOf(upload)).statusCode());
    }
}
