package com.mediapipeline.web;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Every request body the JSON API reads is at most {@value #MAX_BYTES} bytes, or what its method
 * allows with {@link MaxBodyBytes}; a larger one is answered 413 having read at most that much (a
 * 300 MB ticket request used to fill the heap).
 * The one place for all of them: JAX-RS reads bodies only through interceptors like this one. TUS
 * bodies are not JAX-RS bodies: they stream to disk.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    static final int MAX_BYTES = 4096;

    @Context
    HttpServletRequest request;

    @Context
    HttpServletResponse response;

    @Context
    ResourceInfo resource;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MaxBodyBytes allowed = resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(MaxBodyBytes.class);
        int max = allowed == null ? MAX_BYTES : allowed.value();
        if (request.getContentLengthLong() > max) {
            throw tooLarge(max);
        }
        // a chunked body announces no length: read one byte past the cap to know it goes on
        byte[] body = context.getInputStream().readNBytes(max + 1);
        if (body.length > max) {
            throw tooLarge(max);
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /** The rest of the body stays unread, so the connection cannot serve another request: it closes. */
    private ApiException tooLarge(int max) {
        response.setHeader("Connection", "close");
        return new ApiException(ErrorCode.TOO_LARGE, "A request body here may have at most " + max + " bytes");
    }
}
