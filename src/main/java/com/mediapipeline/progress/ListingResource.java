package com.mediapipeline.progress;

import com.mediapipeline.auth.CurrentCaller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The caller's business's uploads, GET /api/v1/uploads?status=&username=&limit=&cursor=. */
@Path("uploads")
@RequestScoped
public class ListingResource {

    @Inject
    UploadListing listing;

    @Inject
    CurrentCaller caller;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public UploadListing.Page list(@QueryParam("status") String status, @QueryParam("username") String username,
                                   @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return listing.page(caller.get().business(), UploadListing.Query.of(status, username, limit, cursor));
    }
}
