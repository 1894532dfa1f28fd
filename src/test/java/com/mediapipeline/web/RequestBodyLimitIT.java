package com.mediapipeline.web;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Request bodies of the JSON API are capped at a few KiB: beyond, 413 {@code too_large}, answered
 * without waiting for the rest of the body, so that one request cannot fill the heap (issue 10, 3).
 */
class RequestBodyLimitIT extends ServiceIT {

    private static final String TICKETS = "/api/v1/ws/tickets";

    /** A declared length over the cap is refused at once: the test never sends a byte of the body. */
    @Test
    void declaredOversizedBodyIs413BeforeItArrives() throws IOException {
        assertTooLarge(rawPost("Content-Length: 300000000", new byte[0]));
        assertTicketsStillIssued();
    }

    /** A chunked body announces no length: the server stops reading past the cap, and does not wait for its end. */
    @Test
    void chunkedBodyIsCutOffPastTheCap() throws IOException {
        ByteArrayOutputStream unterminated = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            byte[] chunk = ((i == 0 ? "{\"upload_id\": \"" : "") + "a".repeat(16 * 1024)).getBytes(StandardCharsets.US_ASCII);
            unterminated.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            unterminated.writeBytes(chunk);
            unterminated.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTooLarge(rawPost("Transfer-Encoding: chunked", unterminated.toByteArray()));
        assertTicketsStillIssued();
    }

    /** The case: a client that streams a huge JSON string, with no length announced. */
    @Test
    void hugeStreamedJsonIs413AndTheServiceGoesOn() {
        InputStream body = new SequenceInputStream(
                new ByteArrayInputStream("{\"upload_id\": \"".getBytes(StandardCharsets.US_ASCII)),
                new Repeated('a', 64L * 1024 * 1024));
        HttpResponse<String> response = Api.send(acme.request(TICKETS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)));
        assertError(response, 413, "too_large");
        assertTicketsStillIssued();
    }

    /** Headers are bounded by the container (domain.xml: Grizzly's 8 KiB header buffer, 100 headers). */
    @Test
    void oversizedHeadersAreRefused() {
        HttpResponse<String> longHeader = Api.send(acme.request(TICKETS).header("X-Padding", "a".repeat(64 * 1024))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertEquals(400, longHeader.statusCode());
        HttpRequest.Builder many = acme.request(TICKETS).header("Content-Type", "application/json");
        for (int i = 0; i < 200; i++) {
            many.header("X-Padding-" + i, "a");
        }
        assertEquals(400, Api.send(many.POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
        assertTicketsStillIssued();
    }

    private void assertTicketsStillIssued() {
        String id = Api.idOf(acme.create(10, null, null));
        HttpResponse<String> response = Api.send(acme.request(TICKETS).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"upload_id\": \"" + id + "\"}")));
        assertEquals(200, response.statusCode(), response.body());
    }

    private static void assertTooLarge(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.toLowerCase().contains("\r\ncontent-type: application/json"), answer);
        Map<String, Object> body = Api.json(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals("too_large", body.get("error"), answer);
    }

    /**
     * Sends the head of a ticket request and {@code body}, then reads the answer without ever
     * finishing the body: a server that waited for all of it would time the read out.
     */
    private String rawPost(String framing, byte[] body) throws IOException {
        URI uri = URI.create(acme.url(TICKETS));
        try (Socket socket = new Socket("127.0.0.1", uri.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort() + "\r\n"
                    + "X-API-KEY: " + TestEnvironment.ACME_KEY + "\r\nX-Username: alice\r\n"
                    + "Content-Type: application/json\r\n" + framing + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            return readAnswer(socket.getInputStream());
        }
    }

    /** Status line, headers and the Content-Length body of one answer. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        while (!answer.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return answer.toString(StandardCharsets.US_ASCII);
            }
            answer.write(b);
        }
        String head = answer.toString(StandardCharsets.US_ASCII);
        int length = head.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** {@code count} copies of one byte, made as they are read. */
    private static final class Repeated extends InputStream {

        private final int value;
        private long left;

        Repeated(char value, long count) {
            this.value = value;
            this.left = count;
        }

        @Override
        public int read() {
            return left-- > 0 ? value : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int count = (int) Math.min(length, left);
            Arrays.fill(buffer, offset, offset + count, (byte) value);
            left -= count;
            return count;
        }
    }
}
