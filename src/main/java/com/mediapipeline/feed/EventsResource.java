package com.mediapipeline.feed;

import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.Arrays;
import java.util.UUID;

/** GET /api/v1/events[?ids=a,b][&username=]: the feed as server-sent events, resumable with Last-Event-ID. */
@Path("events")
@RequestScoped
public class EventsResource {

    @Inject
    Feeds feeds;

    @Inject
    CurrentCaller caller;

    /** Each stream writes on a thread of its own (see SseOutlet). */
    @Resource
    ManagedThreadFactory threads;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@QueryParam("ids") String ids, @QueryParam("username") String username,
                       @HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse) {
        String business = caller.get().business();
        Subset subset = Subset.of(business, username, ids == null ? null : Arrays.asList(ids.split(",", -1)));
        Feed feed = feeds.open(business, "sse:" + UUID.randomUUID(), new SseOutlet(sink, sse, threads))
                .orElseThrow(() -> new ApiException(ErrorCode.RATE_LIMITED, "The business has all of its sockets and event streams open"));
        try {
            feeds.resume(feed, subset, lastEventId);
        } catch (RuntimeException e) {
            // nothing was sent: the error still answers as JSON, and the slot is given back
            feed.drop();
            throw e;
        }
    }
}
