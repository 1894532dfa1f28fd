package com.mediapipeline.feed;

import com.mediapipeline.config.JsonMapping;
import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.progress.UploadStatus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One follower of many uploads. At most one message per upload waits to be sent, the latest, so a slow
 * follower gets the freshest state of each upload and never a backlog; one message is in flight at a
 * time. After each (re)subscription the snapshot goes first. A summary of the subset waits in a slot of
 * its own, replaced by each newer one.
 * <p>
 * Each message carries the id of the event stream from which a follower that resumes misses nothing:
 * the id just before the oldest event still waiting, since events are coalesced and so not sent in the
 * stream's order (a resume may repeat some messages, never skip one).
 */
final class Feed {

    static final String SNAPSHOT = "snapshot";
    static final String SUMMARY = "summary";
    static final String PING = "ping";
    static final String INVALID = "invalid";
    /** Uploads whose state a feed keeps for its summary's bytes; the oldest news is forgotten beyond. */
    static final int TRACKED = 10_000;
    private static final String SNAPSHOT_SLOT = "\0snapshot";
    private static final String SUMMARY_SLOT = "\0summary";
    private static final String PING_SLOT = "\0ping";
    private static final String INVALID_SLOT = "\0invalid";

    /** A message to send: its type (the SSE event name), stream id, JSON; the event it is, if it is one. */
    record Message(String type, String id, String json, StreamId streamId) {
    }

    private final Outlet outlet;
    private final Consumer<Feed> onEnd;
    private final Map<String, Message> waiting = new LinkedHashMap<>();
    private final Map<String, Tracked> tracked = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tracked> eldest) {
            return size() > TRACKED;
        }
    };
    private final List<Relayed> held = new ArrayList<>();
    private Subset subset;
    private StreamId lastId = StreamId.ZERO;
    private boolean ready;
    private boolean sending;
    private boolean pumping;
    private boolean ended;
    private boolean changed;
    private long bytesSinceSummary;
    private long summarizedAt = System.currentTimeMillis();

    private record Tracked(String status, long offset, Long size, StreamId streamId) {
    }

    Feed(Subset subset, Outlet outlet, Consumer<Feed> onEnd) {
        this.subset = subset;
        this.outlet = outlet;
        this.onEnd = onEnd;
    }

    synchronized Subset subset() {
        return subset;
    }

    /**
     * Starts following another subset: its events are held from now on until {@link #follow} (or
     * {@link #resume}) says where the follower starts; what waits of the previous subset is dropped.
     */
    synchronized void subscribe(Subset next) {
        subset = next;
        ready = false;
        waiting.clear();
        tracked.clear();
        held.clear();
    }

    /** The follower starts from a snapshot, read after the stream's last id was {@code at}: later events follow it. */
    synchronized void follow(List<UploadStatus> snapshot, StreamId at) {
        lastId = StreamId.max(lastId, at);
        snapshot.forEach(status -> tracked.put(status.token(), new Tracked(status.status(), status.offset(), status.size(), at)));
        waiting.put(SNAPSHOT_SLOT, new Message(SNAPSHOT, null, JsonMapping.JSONB.toJson(new Snapshot(SNAPSHOT, snapshot)), null));
        start();
    }

    /** The follower was away since {@code from}, and these are the subset's events since: it gets them, not a snapshot. */
    synchronized void resume(StreamId from, List<Relayed> missed) {
        lastId = StreamId.max(lastId, from);
        missed.stream().filter(subset::includes).forEach(this::take);
        start();
    }

    private void start() {
        held.forEach(this::take);
        held.clear();
        ready = true;
        changed = true;
        bytesSinceSummary = 0;
        pump();
    }

    synchronized void offer(Relayed relayed) {
        if (ended || !subset.includes(relayed)) {
            return;
        }
        if (!ready) {
            // while the snapshot is read: a few events at most, placed after it once it is there
            held.add(relayed);
            return;
        }
        take(relayed);
        pump();
    }

    private void take(Relayed relayed) {
        ProgressEvent event = relayed.event();
        StreamId id = StreamId.parse(relayed.streamId());
        Tracked before = tracked.get(event.uploadId());
        // older than what the follower has, or progress behind it: a repeat around a snapshot
        if (id == null || before != null && (id.compareTo(before.streamId()) <= 0 || !event.terminal() && event.bytesSent() < before.offset())) {
            return;
        }
        if (before != null && UploadStatus.UPLOADING.equals(event.status())) {
            bytesSinceSummary += event.bytesSent() - before.offset();
        }
        if (event.removal()) {
            tracked.remove(event.uploadId());
        } else {
            tracked.put(event.uploadId(), new Tracked(event.status(), event.bytesSent(), event.totalSize(), id));
        }
        lastId = StreamId.max(lastId, id);
        waiting.put(event.uploadId(), new Message(event.type(), null, event.toJson(), id));
        changed = true;
    }

    /** Whether the subset changed since the last summary. */
    synchronized boolean summaryDue() {
        return ready && changed && !ended;
    }

    /**
     * Queues a summary: {@code counts} by status for the whole subset when known (else those of the uploads
     * followed), bytes over the uploads followed.
     */
    synchronized void summarize(Map<String, Long> counts, long now) {
        long done = 0;
        long total = 0;
        Map<String, Long> followed = new LinkedHashMap<>();
        UploadStatus.ALL.forEach(status -> followed.put(status, 0L));
        for (Tracked upload : tracked.values()) {
            followed.merge(upload.status(), 1L, Long::sum);
            done += upload.offset();
            total += upload.size() == null ? 0 : upload.size();
        }
        long perSecond = now > summarizedAt ? bytesSinceSummary * 1000 / (now - summarizedAt) : 0;
        Summary summary = new Summary(SUMMARY, counts == null ? followed : counts, done, total, perSecond);
        waiting.put(SUMMARY_SLOT, new Message(SUMMARY, null, JsonMapping.JSONB.toJson(summary), null));
        changed = false;
        bytesSinceSummary = 0;
        summarizedAt = now;
        pump();
    }

    /** A keep-alive: a ping frame on a socket, a comment on an event stream. */
    synchronized void ping() {
        if (ready && !ended && waiting.isEmpty() && !sending) {
            waiting.put(PING_SLOT, new Message(PING, null, null, null));
            pump();
        }
    }

    /** Tells the follower that a message it sent was not understood. */
    synchronized void refuse(String why) {
        waiting.put(INVALID_SLOT, new Message(INVALID, null, JsonMapping.JSONB.toJson(new Invalid(INVALID, "bad_request", why)), null));
        pump();
    }

    /** Ends the feed: nothing more is sent, and its connection is closed. */
    void end() {
        if (drop()) {
            outlet.close();
        }
    }

    /** Ends the feed but leaves its connection to the caller (which answers on it); true if it was not ended yet. */
    boolean drop() {
        synchronized (this) {
            if (ended) {
                return false;
            }
            ended = true;
            waiting.clear();
        }
        onEnd.accept(this);
        return true;
    }

    /** Sends what waits, one at a time; a send that completes at once comes back here through the loop, not the stack. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (ready && !sending && !ended && !waiting.isEmpty()) {
                var first = waiting.entrySet().iterator();
                Message next = first.next().getValue();
                first.remove();
                sending = true;
                outlet.send(new Message(next.type(), resumeId().toString(), next.json(), next.streamId()), this::sent);
            }
        } finally {
            pumping = false;
        }
    }

    /** Every event up to the id answered was sent (or is being sent): all but those still waiting. */
    private StreamId resumeId() {
        return waiting.values().stream().map(Message::streamId).filter(id -> id != null)
                .min(StreamId::compareTo).map(StreamId::previous).orElse(lastId);
    }

    private void sent(boolean ok) {
        boolean failed;
        synchronized (this) {
            sending = false;
            failed = !ok && !ended;
            if (!failed) {
                pump();
            }
        }
        if (failed) {
            end();
        }
    }

    /** {@code {"type": "snapshot", "uploads": [...]}}. */
    public record Snapshot(String type, List<UploadStatus> uploads) {
    }

    /** {@code {"type": "summary", "counts": {...}, "bytes_done", "bytes_total", "bytes_per_second"}}. */
    public record Summary(String type, Map<String, Long> counts, long bytesDone, long bytesTotal, long bytesPerSecond) {
    }

    /** {@code {"type": "invalid", "error": "bad_request", "message": "..."}}: a client message not understood. */
    public record Invalid(String type, String error, String message) {
    }
}
