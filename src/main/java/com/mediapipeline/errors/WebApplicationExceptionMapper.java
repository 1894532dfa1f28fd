package com.mediapipeline.errors;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * JAX-RS' own failures (unknown route, wrong method, unreadable body) in our JSON shape, by type, with
 * our table's message: the exception's own may describe the server's insides.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        ErrorCode code = e instanceof NotFoundException ? ErrorCode.ROUTE_NOT_FOUND
                : e instanceof NotAllowedException ? ErrorCode.METHOD_NOT_ALLOWED
                : e instanceof NotAcceptableException ? ErrorCode.NOT_ACCEPTABLE
                : e instanceof NotSupportedException ? ErrorCode.UNSUPPORTED_MEDIA_TYPE
                : e instanceof BadRequestException || e.getResponse().getStatus() < 500 ? ErrorCode.BAD_REQUEST
                : ErrorCode.INTERNAL_ERROR;
        Response mapped = ErrorResponses.response(code, null);
        // NotAllowedException carries the Allow header the client needs
        return e.getResponse().getHeaderString("Allow") == null ? mapped
                : Response.fromResponse(mapped).header("Allow", e.getResponse().getHeaderString("Allow")).build();
    }
}
