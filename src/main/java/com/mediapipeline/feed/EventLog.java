package com.mediapipeline.feed;

import com.mediapipeline.progress.ProgressEvent;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.StreamEntry;

import java.util.List;
import java.util.Optional;

/**
 * A business's recent events, as the status scripts append them to its stream (the last
 * {@value com.mediapipeline.progress.ProgressStore#EVENTS_KEPT} or so, gone after
 * {@code mediapipeline.events.resume-window} without any): what a follower that was away catches up on.
 */
@ApplicationScoped
@RedisCall
public class EventLog {

    /** Events a resume replays at most; a follower that missed more gets a snapshot instead. */
    static final int MAX_REPLAY = 2_000;

    @Inject
    UnifiedJedis redis;

    /** The id of the business's latest event (0-0 if there is none). */
    @Idempotent
    public StreamId latest(String business) {
        List<StreamEntry> last = redis.xrevrange(RedisKeys.events(business), "+", "-", 1);
        return last.isEmpty() ? StreamId.ZERO : StreamId.parse(last.get(0).getID().toString());
    }

    /**
     * The business's events after {@code from}, if the stream still holds every one of them and they are not
     * too many; empty otherwise. Trimming takes the oldest entries, so it holds them all while its first
     * entry is not after {@code from}.
     */
    @Idempotent
    public Optional<List<Relayed>> since(String business, StreamId from) {
        List<StreamEntry> first = redis.xrange(RedisKeys.events(business), "-", "+", 1);
        if (first.isEmpty() || StreamId.parse(first.get(0).getID().toString()).compareTo(from) > 0) {
            return Optional.empty();
        }
        List<StreamEntry> entries = redis.xrange(RedisKeys.events(business), "(" + from, "+", MAX_REPLAY + 1);
        if (entries.size() > MAX_REPLAY) {
            return Optional.empty();
        }
        return Optional.of(entries.stream().map(entry -> new Relayed(entry.getID().toString(), business,
                entry.getFields().getOrDefault("username", ""), ProgressEvent.fromJson(entry.getFields().get("event")),
                entry.getFields().get("event"))).toList());
    }
}
