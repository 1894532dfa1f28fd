package com.mediapipeline.progress;

import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.upload.UploadId;
import com.mediapipeline.web.MaxBodyBytes;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The status of one upload, GET /api/v1/uploads/meta/{token}/status, and of many, POST /api/v1/uploads/meta/status. */
@Path("uploads/meta")
@RequestScoped
public class StatusResource {

    static final int MAX_TOKENS = 1000;

    @Inject
    StatusLookup lookup;

    @Inject
    ProgressStore store;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("{token}/status")
    @Produces(MediaType.APPLICATION_JSON)
    public UploadStatus status(@PathParam("token") String token) throws IOException {
        UploadId id = UploadId.parse(token).orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN));
        return lookup.find(id, caller.get().business()).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
    }

    /**
     * Up to {@value #MAX_TOKENS} statuses in one request and one Redis round trip: null for an id that
     * is malformed, unknown or another business's (which look the same, so nothing leaks).
     */
    @POST
    @Path("status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    // a thousand ids of 36 characters, quoted and separated, with room for spaces
    @MaxBodyBytes(64 * 1024)
    public Statuses statuses(Tokens body) {
        if (body == null || body.tokens() == null || body.tokens().size() > MAX_TOKENS || body.tokens().contains(null)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The body is {\"tokens\": [at most " + MAX_TOKENS + " upload ids]}");
        }
        Map<String, Optional<UploadId>> tokens = new LinkedHashMap<>();
        body.tokens().forEach(token -> tokens.computeIfAbsent(token, UploadId::parse));
        Set<UploadId> ids = tokens.values().stream().flatMap(Optional::stream).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<UploadId, Optional<UploadStatus>> found = store.findAll(ids, caller.get().business());
        Map<String, UploadStatus> uploads = new LinkedHashMap<>();
        tokens.forEach((token, id) -> uploads.put(token, id.flatMap(found::get).orElse(null)));
        return new Statuses(uploads);
    }

    /** The request body: {@code {"tokens": ["...", ...]}}. */
    public record Tokens(List<String> tokens) {
    }

    /** The answer: {@code {"uploads": {"<token>": status or null}}}. */
    public record Statuses(Map<String, UploadStatus> uploads) {
    }
}
