package com.mediapipeline.upload;

import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.Closeable;
import java.io.IOException;

/**
 * What tus-java-server writes, corrected on the way out: its {@code sendError} HTML becomes our
 * JSON error (coded by {@link TusErrors}), an unsupported version's 412 carries {@code Tus-Version} as
 * the spec asks, an offset mismatch the offset to resume from, and {@code Location} is absolute
 * and honours the {@code X-Forwarded-*} headers of a trusted proxy (the request carries no others:
 * web/ForwardedHeadersFilter removes them). Before the answer to a failure of the library's own leaves,
 * the request's hold on the upload ends (a PATCH's lease: {@link PatchHold}).
 */
class TusResponse extends HttpServletResponseWrapper {

    private final HttpServletRequest request;
    private final Closeable hold;

    TusResponse(HttpServletRequest request, HttpServletResponse response, Closeable hold) {
        super(response);
        this.request = request;
        this.hold = hold;
    }

    @Override
    public void sendError(int status) throws IOException {
        sendError(status, null);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        ErrorCode code = TusErrors.codeOf(request, message);
        if (code == ErrorCode.UNSUPPORTED_VERSION) {
            setHeader("Tus-Version", "1.0.0");
        }
        TusErrors.offsetToResume(request).ifPresent(offset -> setHeader("Upload-Offset", Long.toString(offset)));
        try {
            // the library's last act when it failed with an exception of its own: what it wrote is settled, and
            // the answer commits the response (its other sendError, a 500 in the creation's PATCH, runs on)
            if (TusErrors.failure(request) != null) {
                hold.close();
            }
        } finally {
            ErrorResponses.write((HttpServletResponse) getResponse(), code, message);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        super.setHeader(name, "Location".equalsIgnoreCase(name) ? absolute(value) : value);
    }

    @Override
    public void addHeader(String name, String value) {
        super.addHeader(name, "Location".equalsIgnoreCase(name) ? absolute(value) : value);
    }

    private String absolute(String path) {
        return PublicUrl.of(path, request.getScheme(), request.getHeader("Host"), request.getServerName(), request.getServerPort(),
                request.getHeader("X-Forwarded-Proto"), request.getHeader("X-Forwarded-Host"));
    }
}
