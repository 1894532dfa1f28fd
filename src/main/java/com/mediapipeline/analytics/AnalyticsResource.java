package com.mediapipeline.analytics;

import com.mediapipeline.auth.CurrentCaller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** /api/v1/analytics: the caller's business's uploads per interval, or one of its users'. */
@Path("analytics")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AnalyticsResource {

    @Inject
    Analytics analytics;

    @Inject
    CurrentCaller caller;

    @GET
    public Report report(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("interval") String interval,
                         @QueryParam("username") String username) {
        return analytics.report(caller.get().business(), from, to, interval, username);
    }
}
