package com.mediapipeline.feed;

import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.progress.UploadStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a feed orders, merges and numbers what it sends, on an outlet whose sends complete when the test says. */
class FeedTest {

    private static final String A = "0a000000-0000-4000-8000-000000000000";
    private static final String B = "0b000000-0000-4000-8000-000000000000";

    /** Sends complete only when {@link #complete} says so, as a slow client's. */
    private static final class SlowOutlet implements Outlet {
        final List<Feed.Message> sent = new ArrayList<>();
        final List<Consumer<Boolean>> pending = new ArrayList<>();
        boolean closed;

        @Override
        public void send(Feed.Message message, Consumer<Boolean> done) {
            sent.add(message);
            pending.add(done);
        }

        void complete() {
            pending.remove(0).accept(true);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final SlowOutlet outlet = new SlowOutlet();
    private final List<Feed> ended = new ArrayList<>();
    private final Feed feed = new Feed(Subset.all("acme"), outlet, ended::add);

    @Test
    void theSnapshotComesFirstAndEventsHeldMeanwhileFollowIt() {
        feed.subscribe(Subset.all("acme"));
        feed.offer(progress(A, "5-0", 10));
        assertEquals(List.of(), outlet.sent, "nothing before the snapshot");
        feed.follow(List.of(status(A, 5)), new StreamId(4, 0));
        assertEquals(Feed.SNAPSHOT, outlet.sent.get(0).type());
        assertEquals("4-18446744073709551615", outlet.sent.get(0).id(), "a resume from it gets the held event");
        outlet.complete();
        assertEquals(2, outlet.sent.size());
        assertTrue(outlet.sent.get(1).json().contains("\"bytes_sent\":10"));
    }

    /** A slow client gets the latest state of each upload, not every event: one waits per upload. */
    @Test
    void aSlowClientGetsTheLatestStatePerUpload() {
        started();
        feed.offer(progress(A, "10-0", 1));
        feed.offer(progress(B, "11-0", 1));
        feed.offer(progress(A, "12-0", 2));
        feed.offer(progress(A, "13-0", 3));
        assertEquals(2, outlet.sent.size(), "the snapshot, then A's first event in flight");
        outlet.complete();
        outlet.complete();
        outlet.complete();
        List<String> after = outlet.sent.subList(2, outlet.sent.size()).stream().map(Feed.Message::json).toList();
        assertEquals(2, after.size(), "B's and A's latest: " + after);
        assertTrue(after.get(1).contains("\"bytes_sent\":3") && after.get(1).contains(A));
    }

    /** An id says from where a resume misses nothing: before the oldest event still waiting. */
    @Test
    void idsNeverSkipAnEventStillWaiting() {
        started();
        feed.offer(progress(A, "10-0", 1));
        feed.offer(progress(B, "11-0", 1));
        feed.offer(progress(A, "12-0", 2));
        outlet.complete();
        // B (11-0) goes out while A's 12-0 waits: its id must not pass 12-0
        Feed.Message b = outlet.sent.get(2);
        assertTrue(b.json().contains(B));
        assertEquals("11-18446744073709551615", b.id(), "just before A's waiting 12-0");
        outlet.complete();
        assertEquals("12-0", outlet.sent.get(3).id(), "nothing waits: every event up to the last is out");
    }

    @Test
    void eventsBehindTheSnapshotOrOfOthersAreDropped() {
        feed.subscribe(new Subset("acme", "alice", null));
        feed.follow(List.of(status(A, 50)), new StreamId(20, 0));
        outlet.complete();
        feed.offer(progress(A, "19-0", 40));
        feed.offer(relayed("21-0", "acme", "bob", ProgressEvent.of(status(B, 1))));
        feed.offer(relayed("22-0", "globex", "alice", ProgressEvent.of(status(B, 1))));
        assertEquals(1, outlet.sent.size(), "an older event, another user's, another business's: " + outlet.sent);
    }

    @Test
    void aSummaryCountsAndAddsUpTheUploadsFollowed() {
        started();
        feed.offer(progress(A, "10-0", 40));
        feed.offer(progress(B, "11-0", 10));
        assertTrue(feed.summaryDue());
        feed.summarize(null, System.currentTimeMillis() + 1000);
        while (!outlet.pending.isEmpty()) {
            outlet.complete();
        }
        Feed.Message summary = outlet.sent.get(outlet.sent.size() - 1);
        assertEquals(Feed.SUMMARY, summary.type());
        assertTrue(summary.json().contains("\"uploading\":2") && summary.json().contains("\"bytes_done\":50")
                && summary.json().contains("\"bytes_total\":200"), summary.json());
        assertFalse(feed.summaryDue(), "nothing changed since");
    }

    @Test
    void aFailedSendEndsTheFeedOnce() {
        started();
        feed.offer(progress(A, "10-0", 1));
        outlet.pending.remove(0).accept(false);
        feed.end();
        assertTrue(outlet.closed);
        assertEquals(List.of(feed), ended);
    }

    /** Sends that complete before they return (Jersey's way) go out one after the other, in a loop, not ever deeper calls. */
    @Test
    void sendsThatCompleteAtOnceAllGoOut() {
        List<Feed.Message> sent = new ArrayList<>();
        Feed quick = new Feed(Subset.all("acme"), new Outlet() {
            @Override
            public void send(Feed.Message message, Consumer<Boolean> done) {
                sent.add(message);
                done.accept(true);
            }

            @Override
            public void close() {
            }
        }, ended::add);
        quick.follow(List.of(), new StreamId(1, 0));
        for (int i = 0; i < 20_000; i++) {
            quick.offer(progress(String.format("%08x-0000-4000-8000-000000000000", i), (10 + i) + "-0", 1));
        }
        assertEquals(20_001, sent.size());
        assertEquals(List.of(), ended);
    }

    /** A client that stops taking messages is ended: by a send stuck past its deadline, or by too many uploads' news waiting. */
    @Test
    void aStuckClientIsEnded() {
        started();
        feed.offer(progress(A, "10-0", 1));
        feed.ping(System.currentTimeMillis());
        assertTrue(ended.isEmpty());
        feed.ping(System.currentTimeMillis() + Feed.STALL_MILLIS + 1);
        assertEquals(List.of(feed), ended);
        assertTrue(outlet.closed);

        SlowOutlet slow = new SlowOutlet();
        Feed piling = new Feed(Subset.all("acme"), slow, ended::add);
        piling.follow(List.of(), new StreamId(1, 0));
        for (int i = 0; i <= Feed.WAITING_MAX + 1; i++) {
            piling.offer(progress(String.format("%08x-0000-4000-8000-000000000000", i), (10 + i) + "-0", 1));
        }
        assertEquals(List.of(feed, piling), ended);
        assertTrue(slow.closed);
    }

    /** A socket's subscriptions: one a second; one sooner waits for its second, and a later one takes its place. */
    @Test
    void subscriptionsArePaced() {
        FeedSockets.Pace pace = new FeedSockets.Pace();
        Subset alice = new Subset("acme", "alice", null);
        Subset bob = new Subset("acme", "bob", null);
        assertEquals(0, pace.take(alice, 10_000));
        assertEquals(600, pace.take(bob, 10_400));
        assertEquals(-1, pace.take(alice, 10_500), "replaces the one waiting");
        assertEquals(Optional.of(alice), pace.due(11_000));
        assertEquals(Optional.empty(), pace.due(11_000));
        assertEquals(1000, pace.take(bob, 11_000));
    }

    private void started() {
        feed.follow(List.of(), new StreamId(1, 0));
        outlet.complete();
    }

    private static Relayed progress(String id, String streamId, long bytes) {
        return relayed(streamId, "acme", "alice", ProgressEvent.of(status(id, bytes)));
    }

    private static Relayed relayed(String streamId, String business, String username, ProgressEvent event) {
        return new Relayed(streamId, business, username, event, event.toJson());
    }

    private static UploadStatus status(String id, long offset) {
        return UploadStatus.of(id, Map.of("status", UploadStatus.UPLOADING, "offset", Long.toString(offset), "size", "100",
                "progress", Double.toString(UploadStatus.percent(offset, 100L)), "created_at", "2026-11-30T00:00:00Z", "username", "alice"));
    }
}
