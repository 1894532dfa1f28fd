package com.mediapipeline.storage;

import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.ErrorResponses;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 416 must tell the client the file's real size (RFC 9110 15.5.17). */
@Provider
public class UnsatisfiableRangeMapper implements ExceptionMapper<ByteRange.UnsatisfiableRangeException> {

    @Override
    public Response toResponse(ByteRange.UnsatisfiableRangeException e) {
        return Response.fromResponse(ErrorResponses.response(ErrorCode.RANGE_NOT_SATISFIABLE, e.getMessage()))
                .header("Content-Range", "bytes */" + e.size())
                .build();
    }
}
