package com.mediapipeline.feed;

import com.mediapipeline.progress.ProgressStore;
import com.mediapipeline.progress.RelayResumed;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.progress.SocketRegistry;
import com.mediapipeline.progress.SocketSlots;
import com.mediapipeline.progress.UploadIndex;
import com.mediapipeline.progress.UploadListing;
import com.mediapipeline.progress.UploadStatus;
import com.mediapipeline.redis.RedisUnavailableException;
import com.mediapipeline.upload.UploadId;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Gauge;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The feeds open on this instance, by business. The one progress relay of the instance hands each
 * event to the feeds of its business; a summary goes to each feed whose subset changed, at most once
 * per {@code progress.interval-ms}; idle feeds get a keep-alive. Feeds count against the business's
 * {@code websocket.max-per-key}, like progress sockets.
 */
@ApplicationScoped
public class Feeds {

    static final int SNAPSHOT_SIZE = 500;
    private static final Logger LOG = Logger.getLogger(Feeds.class.getName());

    private final Map<String, Set<Feed>> byBusiness = new ConcurrentHashMap<>();
    private ScheduledFuture<?> summaries;
    private ScheduledFuture<?> keepAlives;

    @Inject
    UploadListing listing;

    @Inject
    ProgressStore statuses;

    @Inject
    UploadIndex index;

    @Inject
    EventLog log;

    @Inject
    SocketSlots slots;

    @Inject
    @ConfigProperty(name = "mediapipeline.progress.interval-ms", defaultValue = "250")
    long intervalMillis;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @PostConstruct
    void start() {
        summaries = scheduler.scheduleAtFixedRate(this::summarize, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        keepAlives = scheduler.scheduleAtFixedRate(() -> each(feed -> feed.ping(System.currentTimeMillis())),
                SocketRegistry.PING_SECONDS, SocketRegistry.PING_SECONDS, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        summaries.cancel(false);
        keepAlives.cancel(false);
    }

    void relayed(@Observes Relayed relayed) {
        Set<Feed> feeds = byBusiness.get(relayed.business());
        if (feeds != null) {
            feeds.forEach(feed -> guarded(feed, () -> feed.offer(relayed)));
        }
    }

    /**
     * The relay lost its subscription for a while: what was published meanwhile never reached the feeds,
     * so they end, and their clients come back to a snapshot (or, on an event stream, to what they missed).
     */
    void relayResumed(@Observes RelayResumed resumed) {
        each(Feed::end);
    }

    /** A feed of all the business's uploads, not started yet; empty when the business has all its sockets open. */
    Optional<Feed> open(String business, String slotId, Outlet outlet) {
        if (!slots.take(business, slotId)) {
            return Optional.empty();
        }
        Feed feed = new Feed(Subset.all(business), outlet, ended -> forget(business, ended, slotId));
        // in one step with the removal of an empty set by forget, so that the feed cannot land in a set just dropped
        byBusiness.compute(business, (key, feeds) -> {
            Set<Feed> joined = feeds == null ? ConcurrentHashMap.newKeySet() : feeds;
            joined.add(feed);
            return joined;
        });
        return Optional.of(feed);
    }

    /** The feed follows the subset from now: a snapshot first, then its events. */
    void follow(Feed feed, Subset subset) {
        feed.subscribe(subset);
        // the stream's position before the snapshot is read: events after it come after the snapshot
        StreamId at = log.latest(subset.business());
        feed.follow(snapshot(subset), at);
    }

    /** The feed follows the subset from the event after {@code lastEventId}, or from a snapshot if those events are gone. */
    void resume(Feed feed, Subset subset, String lastEventId) {
        StreamId from = StreamId.parse(lastEventId);
        feed.subscribe(subset);
        Optional<List<Relayed>> missed = from == null ? Optional.empty() : log.since(subset.business(), from);
        if (missed.isPresent()) {
            feed.resume(from, missed.get());
        } else {
            StreamId at = log.latest(subset.business());
            feed.follow(snapshot(subset), at);
        }
    }

    /** The subset's newest uploads. */
    private List<UploadStatus> snapshot(Subset subset) {
        if (subset.ids() == null) {
            return listing.page(subset.business(), new UploadListing.Query(null, subset.username(), SNAPSHOT_SIZE, null)).uploads();
        }
        Set<UploadId> ids = subset.ids().stream().map(UploadId::new).collect(Collectors.toSet());
        return statuses.findAll(ids, subset.business()).values().stream().flatMap(Optional::stream)
                .filter(status -> subset.username() == null || subset.username().equals(status.username()))
                .sorted(Comparator.comparing(UploadStatus::createdAt).reversed()).limit(SNAPSHOT_SIZE).toList();
    }

    private void summarize() {
        long now = System.currentTimeMillis();
        Map<Subset, Map<String, Long>> counts = new HashMap<>();
        each(feed -> {
            if (feed.summaryDue()) {
                Subset subset = feed.subset();
                // counts of a whole business or user come from the listing indexes, once per tick for all their feeds
                feed.summarize(subset.ids() != null ? null : counts.computeIfAbsent(new Subset(subset.business(), subset.username(), null),
                        whole -> index.counts(whole.business(), whole.username())), now);
            }
        });
    }

    private void each(Consumer<Feed> action) {
        byBusiness.values().forEach(feeds -> feeds.forEach(feed -> guarded(feed, () -> action.accept(feed))));
    }

    /** One feed's trouble (Redis away for its counts, a broken outlet) must not stop the others, nor a schedule. */
    private static void guarded(Feed feed, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warning("A feed failed and ends: " + e);
            feed.end();
        }
    }

    private void forget(String business, Feed feed, String slotId) {
        byBusiness.computeIfPresent(business, (key, feeds) -> {
            feeds.remove(feed);
            return feeds.isEmpty() ? null : feeds;
        });
        try {
            slots.release(slotId);
        } catch (RedisUnavailableException e) {
            LOG.warning("Could not release a feed's socket slot; it passes when its lease ends: " + e.getMessage());
        }
    }

    @Gauge(name = "feeds.open", absolute = true, unit = MetricUnits.NONE, description = "Feeds (sockets and event streams of many uploads) open on this instance")
    public int openFeeds() {
        return byBusiness.values().stream().mapToInt(Set::size).sum();
    }
}
