package com.mediapipeline.progress;

import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("uploads/meta/{token}/status")
@RequestScoped
public class StatusResource {

    @Inject
    ProgressStore store;

    @Inject
    CurrentCaller caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public UploadStatus status(@PathParam("token") String token) {
        UploadId id = UploadId.parse(token).orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN));
        return store.find(id, caller.get().business()).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    }
}
