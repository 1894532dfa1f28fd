package com.mediapipeline.storage;

import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.auth.SignedLinks;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.upload.PublicUrl;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/** Download (GET, and HEAD through JAX-RS), signed links, and deletion of stored files. */
@Path("storage/{fileId}")
@RequestScoped
public class StorageResource {

    @Inject
    StoredFiles files;

    @Inject
    CurrentCaller caller;

    @Inject
    DownloadLinks links;

    /**
     * With the business's key, or with a signed link (which AuthenticationFilter checked): a keyed
     * answer is the caller's own and revalidated, a link's may be cached by anyone until it expires.
     */
    @GET
    public Response download(@PathParam("fileId") String fileId, @HeaderParam("Range") String range,
                             @HeaderParam("If-Range") String ifRange, @Context Request request) throws IOException {
        Optional<SignedLinks.Grant> link = caller.link();
        StoredFile file = link.isPresent() ? files.linked(link.get()) : files.find(parse(fileId), caller.get().business());
        String cacheControl = link.map(StorageResource::cachedUntilExpiry).orElse("private, no-cache");
        EntityTag etag = new EntityTag(file.etag());
        Date lastModified = Date.from(file.lastModified());
        Response.ResponseBuilder precondition = request.evaluatePreconditions(lastModified, etag);
        if (precondition != null) {
            return notModifiedOrFail(precondition.header("Cache-Control", cacheControl).build());
        }
        Optional<ByteRange> part = ByteRange.ifRangeMatches(ifRange, file.etag(), file.lastModified())
                ? ByteRange.parse(range, file.size()) : Optional.empty();
        String disposition = link.map(SignedLinks.Grant::disposition).orElse(DownloadLinks.ATTACHMENT);
        return answer(file, part, disposition).tag(etag).lastModified(lastModified).header("Cache-Control", cacheControl).build();
    }

    /** POST /api/v1/storage/{file_id}/links: a link to the file that works without a key until it expires. */
    @POST
    @Path("links")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response link(@PathParam("fileId") String fileId, LinkRequest body, @Context HttpServletRequest request) throws IOException {
        SignedLinks.Signed signed = links.create(parse(fileId), caller.get().business(),
                body == null ? null : body.expiresIn(), body == null ? null : body.disposition());
        String url = PublicUrl.of(request.getContextPath() + "/api/v1/storage/" + signed.fileId() + "?" + signed.query(),
                request.getScheme(), request.getHeader("Host"), request.getServerName(), request.getServerPort(),
                request.getHeader("X-Forwarded-Proto"), request.getHeader("X-Forwarded-Host"));
        return Response.status(Response.Status.CREATED).entity(new LinkAnswer(url, signed.expiresAt().toString())).build();
    }

    /** The request body: {@code {"expires_in": "PT1H", "disposition": "inline|attachment"}}. */
    public record LinkRequest(String expiresIn, String disposition) {
    }

    /** The answer: {@code {"url": "...", "expires_at": "..."}}. */
    public record LinkAnswer(String url, String expiresAt) {
    }

    @DELETE
    public Response delete(@PathParam("fileId") String fileId) throws IOException {
        files.delete(parse(fileId), caller.get().business());
        return Response.noContent().build();
    }

    private static String cachedUntilExpiry(SignedLinks.Grant link) {
        return "public, max-age=" + Math.max(0, Duration.between(Instant.now(), link.expiresAt()).toSeconds()) + ", immutable";
    }

    /**
     * The 200 or 206 answer, its bytes streamed from disk as the client reads them. Whatever a client
     * uploaded is shown sandboxed (no script of it runs with this origin's rights, should a browser
     * render it) and sends no Referer that could carry a link's signature on.
     */
    private static Response.ResponseBuilder answer(StoredFile file, Optional<ByteRange> part, String disposition) {
        ByteRange range = part.orElse(new ByteRange(0, file.size() - 1));
        Response.ResponseBuilder response = part.isPresent()
                ? Response.status(Response.Status.PARTIAL_CONTENT).header("Content-Range", range.contentRange(file.size()))
                : Response.ok();
        return response
                .type(file.contentType())
                .header("Content-Disposition", DownloadHeaders.contentDisposition(disposition, file.filename()))
                .header("Content-Length", Math.max(0, range.length()))
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Referrer-Policy", "no-referrer")
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
