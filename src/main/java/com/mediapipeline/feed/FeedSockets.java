package com.mediapipeline.feed;

import com.mediapipeline.auth.Authentication;
import com.mediapipeline.auth.Caller;
import com.mediapipeline.auth.TicketStore;
import com.mediapipeline.config.JsonMapping;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.progress.Handover;
import com.mediapipeline.progress.HandshakeCredentials;
import com.mediapipeline.progress.ProgressWatch;
import com.mediapipeline.redis.RedisUnavailableException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.JsonbException;
import jakarta.websocket.Session;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The feed socket's life: authenticate (4401; a ticket for it is one issued without an upload id), take
 * one of the business's socket slots (4429), start following the whole business; then follow what the
 * client subscribes to. Closes wait for the {@link Handover}, as the progress socket's do.
 */
@ApplicationScoped
public class FeedSockets {

    static final long SUBSCRIBE_INTERVAL_MILLIS = 1000;
    private static final String FEED = "mediapipeline.feed";
    private static final String PACE = "mediapipeline.feed.pace";

    @Inject
    Authentication authentication;

    @Inject
    Feeds feeds;

    @Resource
    ManagedScheduledExecutorService scheduler;

    void start(Session session, HandshakeCredentials.Credentials credentials) {
        Handover.begin(session, scheduler);
        try {
            Optional<Caller> caller = credentials == null ? Optional.empty()
                    : authentication.ofHandshake(credentials.apiKey(), credentials.username(), credentials.ticket(), TicketStore.FEED);
            if (caller.isEmpty()) {
                Handover.of(session).close(ProgressWatch.UNAUTHORIZED);
                return;
            }
            Optional<Feed> feed = feeds.open(caller.get().business(), session.getId(), new SocketOutlet(session));
            if (feed.isEmpty()) {
                Handover.of(session).close(ProgressWatch.TOO_MANY);
                return;
            }
            session.getUserProperties().put(FEED, feed.get());
            feeds.follow(feed.get(), Subset.all(caller.get().business()));
        } catch (RedisUnavailableException e) {
            // the close waits for the handover like any other: the feed goes, the socket's end comes with it
            Optional.ofNullable((Feed) session.getUserProperties().remove(FEED)).ifPresent(Feed::drop);
            Handover.of(session).close(ProgressWatch.UNAVAILABLE);
        }
    }

    /**
     * {@code {"subscribe": {"username": "alice"}}}, {@code {"subscribe": {"ids": [...]}}} or
     * {@code {"subscribe": {}}} (all). Each reads a snapshot of up to 500 statuses, so a socket's
     * subscriptions are taken one a second at most: one that comes sooner waits, replaced by any later one.
     */
    void subscribe(Session session, String text) {
        Feed feed = (Feed) session.getUserProperties().get(FEED);
        if (feed == null) {
            return;
        }
        Subset subset;
        try {
            Command command = JsonMapping.JSONB.fromJson(text, Command.class);
            if (command == null || command.subscribe() == null) {
                feed.refuse("A message is {\"subscribe\": {\"username\": \"…\"}} or {\"subscribe\": {\"ids\": [\"…\"]}}");
                return;
            }
            subset = Subset.of(feed.subset().business(), command.subscribe().username(), command.subscribe().ids());
        } catch (JsonbException e) {
            feed.refuse("The message is not JSON of the form {\"subscribe\": {…}}");
            return;
        } catch (ApiException e) {
            feed.refuse(e.getMessage());
            return;
        }
        Pace pace = (Pace) session.getUserProperties().computeIfAbsent(PACE, key -> new Pace());
        long wait = pace.take(subset, System.currentTimeMillis());
        if (wait == 0) {
            follow(session, feed, subset);
        } else if (wait > 0) {
            scheduler.schedule(() -> pace.due(System.currentTimeMillis()).ifPresent(due -> follow(session, feed, due)),
                    wait, TimeUnit.MILLISECONDS);
        }
    }

    private void follow(Session session, Feed feed, Subset subset) {
        try {
            feeds.follow(feed, subset);
        } catch (RedisUnavailableException e) {
            Handover.of(session).close(ProgressWatch.UNAVAILABLE);
            feed.end();
        }
    }

    void stop(Session session) {
        Feed feed = (Feed) session.getUserProperties().remove(FEED);
        if (feed != null) {
            feed.end();
        }
        Handover.of(session).ended();
    }

    /** When a socket's next subscription may be taken, and the one waiting for it. */
    static final class Pace {

        private long last = -SUBSCRIBE_INTERVAL_MILLIS;
        private Subset waiting;

        /** 0: take it now; more: schedule {@link #due} in that many ms; less: it replaced one scheduled already. */
        synchronized long take(Subset subset, long now) {
            if (waiting != null) {
                waiting = subset;
                return -1;
            }
            long wait = last + SUBSCRIBE_INTERVAL_MILLIS - now;
            if (wait <= 0) {
                last = now;
                return 0;
            }
            waiting = subset;
            return wait;
        }

        synchronized Optional<Subset> due(long now) {
            Subset due = waiting;
            waiting = null;
            last = now;
            return Optional.ofNullable(due);
        }
    }

    /** A client message. */
    public record Command(Subscription subscribe) {
    }

    /** What to follow: one user's uploads, or these ids (both null: all the business's). */
    public record Subscription(String username, List<String> ids) {
    }
}
