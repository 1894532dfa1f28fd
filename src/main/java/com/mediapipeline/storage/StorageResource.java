package com.mediapipeline.storage;

import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.util.Date;
import java.util.Optional;

/** Download (GET, and HEAD through JAX-RS) and deletion of stored files. */
@Path("storage/{fileId}")
@RequestScoped
public class StorageResource {

    @Inject
    StoredFiles files;

    @Inject
    CurrentCaller caller;

    @GET
    public Response download(@PathParam("fileId") String fileId, @HeaderParam("Range") String range,
                             @HeaderParam("If-Range") String ifRange, @Context Request request) throws IOException {
        StoredFile file = files.find(parse(fileId), caller.get().business());
        EntityTag etag = new EntityTag(file.etag());
        Date lastModified = Date.from(file.lastModified());
        Response.ResponseBuilder precondition = request.evaluatePreconditions(lastModified, etag);
        if (precondition != null) {
            return notModifiedOrFail(precondition.build());
        }
        Optional<ByteRange> part = ByteRange.ifRangeMatches(ifRange, file.etag(), file.lastModified())
                ? ByteRange.parse(range, file.size()) : Optional.empty();
        return answer(file, part).tag(etag).lastModified(lastModified).build();
    }

    @DELETE
    public Response delete(@PathParam("fileId") String fileId) throws IOException {
        files.delete(parse(fileId), caller.get().business());
        return Response.noContent().build();
    }

    /** The 200 or 206 answer, its bytes streamed from disk as the client reads them. */
    private static Response.ResponseBuilder answer(StoredFile file, Optional<ByteRange> part) {
        ByteRange range = part.orElse(new ByteRange(0, file.size() - 1));
        Response.ResponseBuilder response = part.isPresent()
                ? Response.status(Response.Status.PARTIAL_CONTENT).header("Content-Range", range.contentRange(file.size()))
                : Response.ok();
        return response
                .type(file.contentType())
                .header("Content-Disposition", DownloadHeaders.contentDisposition(file.filename()))
                .header("Content-Length", Math.max(0, range.length()))
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff")
                .entity((StreamingOutput) out -> file.copy(range, out));
    }

    private static UploadId parse(String fileId) {
        return UploadId.parse(fileId).orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN));
    }

    private static Response notModifiedOrFail(Response precondition) {
        if (precondition.getStatus() == Response.Status.NOT_MODIFIED.getStatusCode()) {
            return precondition;
        }
        throw new ApiException(ErrorCode.PRECONDITION_FAILED);
    }
}
