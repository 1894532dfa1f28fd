package com.mediapipeline.feed;

import com.mediapipeline.config.JsonMapping;
import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.progress.UploadStatus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One follower of many uploads. At most one message per upload waits to be sent, the latest, so a slow
 * follower gets the freshest state of each upload and never a backlog; one message is in flight at a
 * time, and the outlet is called outside this object's lock, so that neither the relay's thread nor the
 * container's ever waits on a client. After each (re)subscription the snapshot goes first. A summary waits
 * in a slot of its own, replaced by each newer one. A follower that lets more than {@value #WAITING_MAX}
 * uploads' news pile up, or does not take a message for {@value #STALL_MILLIS} ms, is ended.
 * <p>
 * Each message carries the id of the event stream from which a follower that resumes misses nothing:
 * the id just before the oldest event still waiting, since events are merged per upload and so not sent
 * in the stream's order (a resume may repeat some messages, never skip one).
 */
final class Feed {

    static final String SNAPSHOT = "snapshot";
    static final String SUMMARY = "summary";
    static final String PING = "ping";
    static final String INVALID = "invalid";
    /** Uploads whose state a feed keeps for its summary's bytes; the longest quiet is forgotten beyond. */
    static final int TRACKED = 10_000;
    static final int WAITING_MAX = 5_000;
    static final long STALL_MILLIS = 30_000;
    private static final String SNAPSHOT_SLOT = "\0snapshot";
    private static final String SUMMARY_SLOT = "\0summary";
    private static final String PING_SLOT = "\0ping";
    private static final String INVALID_SLOT = "\0invalid";

    /** A message to send: its type (the SSE event name), resume id, JSON; the stream id of the event it is, if it is one. */
    record Message(String type, String id, String json, StreamId streamId) {
    }

    private record Tracked(String status, long offset, Long size, StreamId streamId) {
    }

    private final Outlet outlet;
    private final Consumer<Feed> onEnd;
    private final Map<String, Message> waiting = new LinkedHashMap<>();
    private final Map<String, Tracked> tracked = new LinkedHashMap<>() {
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
    private boolean failed;
    private boolean ended;
    private boolean changed;
    private long sendingSince;
    private long bytesSinceSummary;
    private long summarizedAt = System.currentTimeMillis();

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
    void follow(List<UploadStatus> snapshot, StreamId at) {
        synchronized (this) {
            lastId = StreamId.max(lastId, at);
            snapshot.forEach(status -> tracked.put(status.token(), new Tracked(status.status(), status.offset(), status.size(), at)));
            waiting.put(SNAPSHOT_SLOT, new Message(SNAPSHOT, null, JsonMapping.JSONB.toJson(new Snapshot(SNAPSHOT, snapshot)), null));
            start();
        }
        pump();
    }

    /** The follower was away since {@code from}, and these are the business's events since: it gets the subset's, not a snapshot. */
    void resume(StreamId from, List<Relayed> missed) {
        synchronized (this) {
            lastId = StreamId.max(lastId, from);
            missed.stream().filter(subset::includes).forEach(this::take);
            start();
        }
        pump();
    }

    private void start() {
        held.forEach(this::take);
        held.clear();
        ready = true;
        changed = true;
        bytesSinceSummary = 0;
    }

    void offer(Relayed relayed) {
        boolean tooSlow;
        synchronized (this) {
            if (ended || !subset.includes(relayed)) {
                return;
            }
            if (ready) {
                take(relayed);
            } else {
                // while the snapshot is read: a few events, placed after it once it is there
                held.add(relayed);
            }
            tooSlow = waiting.size() > WAITING_MAX || held.size() > WAITING_MAX;
        }
        if (tooSlow) {
            end();
        } else {
            pump();
        }
    }

    private void take(Relayed relayed) {
        ProgressEvent event = relayed.event();
        StreamId id = StreamId.parse(relayed.streamId());
        Tracked before = tracked.get(event.uploadId());
        // older than what the follower has, or no news to it (a repeat around a snapshot, a trailing write of the same offset)
        if (id == null || before != null && (id.compareTo(before.streamId()) <= 0 || !event.terminal()
                && (event.bytesSent() < before.offset() || event.bytesSent() == before.offset() && event.status().equals(before.status())))) {
            return;
        }
        if (before != null) {
            bytesSinceSummary += Math.max(0, event.bytesSent() - before.offset());
        }
        tracked.remove(event.uploadId());
        if (!event.removal()) {
            tracked.put(event.uploadId(), new Tracked(event.status(), event.bytesSent(), event.totalSize(), id));
        }
        lastId = StreamId.max(lastId, id);
        waiting.put(event.uploadId(), new Message(event.type(), null, relayed.json(), id));
        changed = true;
    }

    /** Whether the subset changed since the last summary (or the last summary showed bytes moving). */
    synchronized boolean summaryDue() {
        return ready && changed && !ended;
    }

    /**
     * Queues a summary: {@code counts} by status for the whole subset when known (else those of the uploads
     * followed), bytes over the uploads followed.
     */
    void summarize(Map<String, Long> counts, long now) {
        synchronized (this) {
            if (!ready || ended) {
                return;
            }
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
            // bytes that moved call for one more summary, which shows them stopped if they did
            changed = perSecond > 0;
            bytesSinceSummary = 0;
            summarizedAt = now;
        }
        pump();
    }

    /** A keep-alive (a ping frame on a socket, a comment on an event stream); ends a follower whose send is stuck. */
    void ping(long now) {
        boolean stuck;
        synchronized (this) {
            stuck = sending && now - sendingSince > STALL_MILLIS;
            if (!stuck && ready && !ended && !sending && waiting.isEmpty()) {
                waiting.put(PING_SLOT, new Message(PING, null, null, null));
            }
        }
        if (stuck) {
            end();
        } else {
            pump();
        }
    }

    /** Tells the follower that a message it sent was not understood. */
    void refuse(String why) {
        synchronized (this) {
            waiting.put(INVALID_SLOT, new Message(INVALID, null, JsonMapping.JSONB.toJson(new Invalid(INVALID, "bad_request", why)), null));
        }
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
            held.clear();
        }
        onEnd.accept(this);
        return true;
    }

    /**
     * Sends what waits, one message at a time, never holding the lock while the outlet works. A send that
     * completes before it returns leaves the next one to this loop, not to a deeper call.
     */
    private void pump() {
        while (true) {
            Message next;
            synchronized (this) {
                if (pumping || sending || ended || !ready || waiting.isEmpty()) {
                    return;
                }
                Iterator<Message> first = waiting.values().iterator();
                Message message = first.next();
                first.remove();
                next = new Message(message.type(), resumeId().toString(), message.json(), message.streamId());
                sending = true;
                pumping = true;
                sendingSince = System.currentTimeMillis();
            }
            outlet.send(next, this::sent);
            boolean fail;
            synchronized (this) {
                pumping = false;
                fail = failed;
                if (!fail && sending) {
                    return;
                }
            }
            if (fail) {
                end();
                return;
            }
        }
    }

    /** Every event up to the id answered was sent (or is being sent): all but those still waiting. */
    private StreamId resumeId() {
        return waiting.values().stream().map(Message::streamId).filter(id -> id != null)
                .min(StreamId::compareTo).map(StreamId::previous).orElse(lastId);
    }

    private void sent(boolean ok) {
        synchronized (this) {
            sending = false;
            failed |= !ok;
            if (pumping) {
                return;
            }
        }
        if (ok) {
            pump();
        } else {
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
