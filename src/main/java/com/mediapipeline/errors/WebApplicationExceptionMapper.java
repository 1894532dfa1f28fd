package com.mediapipeline.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * JAX-RS' own failures (unknown route, wrong method, unreadable body) in our JSON shape, with our
 * table's message: the exception's own may describe the server's insides.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        ErrorCode code = status == 404 ? ErrorCode.NOT_FOUND : ErrorCode.forStatus(status);
        String message = status == 404 ? "No such resource" : code.message();
        Response mapped = ErrorResponses.response(code, message);
        return Response.fromResponse(mapped).status(status).build();
    }
}
