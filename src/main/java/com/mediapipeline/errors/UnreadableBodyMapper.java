package com.mediapipeline.errors;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A request body that is not the JSON it should be is the client's mistake: 400, not 500. */
@Provider
public class UnreadableBodyMapper implements ExceptionMapper<ProcessingException> {

    @Override
    public Response toResponse(ProcessingException e) {
        return ErrorResponses.response(ErrorCode.BAD_REQUEST, "The request body is not valid JSON of the expected shape");
    }
}
