package com.mediapipeline.progress;

import com.mediapipeline.auth.Caller;
import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.auth.TicketStore;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;

/** POST /api/v1/ws/tickets: a single-use ticket that lets a browser open a progress socket (of one upload, or of many). */
@Path("ws/tickets")
@RequestScoped
public class TicketResource {

    @Inject
    TicketStore tickets;

    @Inject
    StatusLookup uploads;

    @Inject
    CurrentCaller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public TicketStore.Ticket issue(TicketRequest request) throws IOException {
        Caller who = caller.get();
        if (request == null || request.uploadId() == null) {
            return tickets.issue(who, TicketStore.FEED);
        }
        UploadId id = UploadId.parse(request.uploadId())
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_TOKEN, "upload_id must be the id of an upload"));
        uploads.find(id, who.business()).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
        return tickets.issue(who, id.value());
    }

    /** The request body: {@code {"upload_id": "..."}} for one upload's socket, {@code {}} for the socket of many. */
    public record TicketRequest(String uploadId) {
    }
}
