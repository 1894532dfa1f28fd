package com.mediapipeline.webhooks;

import com.mediapipeline.auth.CurrentCaller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** /api/v1/webhooks: a business's endpoints, their delivery logs, replays and pings. */
@Path("webhooks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    @Inject
    Webhooks webhooks;

    @Inject
    DeliveryLog log;

    @Inject
    CurrentCaller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(Webhooks.Changes request, @Context UriInfo uri) {
        Webhooks.Created created = webhooks.register(business(), request);
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build()).entity(created).build();
    }

    @GET
    public Listing list() {
        return new Listing(webhooks.list(business()));
    }

    @GET
    @Path("{id}")
    public Webhook get(@PathParam("id") String id) {
        return webhooks.get(business(), id);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Webhook update(@PathParam("id") String id, Webhooks.Changes changes) {
        return webhooks.update(business(), id, changes);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        webhooks.delete(business(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/rotate-secret")
    public Webhooks.Created rotate(@PathParam("id") String id) {
        return webhooks.rotate(business(), id);
    }

    @POST
    @Path("{id}/ping")
    public Response ping(@PathParam("id") String id) {
        return Response.accepted(webhooks.ping(business(), id)).build();
    }

    @GET
    @Path("{id}/deliveries")
    public DeliveryLog.Page deliveries(@PathParam("id") String id, @QueryParam("status") String status, @QueryParam("cursor") String cursor) {
        return log.page(business(), id, status, cursor);
    }

    @POST
    @Path("{id}/deliveries/{delivery}/retry")
    public Response retry(@PathParam("id") String id, @PathParam("delivery") String delivery) {
        return Response.accepted(log.retry(business(), id, delivery)).build();
    }

    private String business() {
        return caller.get().business();
    }

    /** {@code {"webhooks": [...]}}. */
    public record Listing(List<Webhook> webhooks) {
    }
}
