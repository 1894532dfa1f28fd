package com.mediapipeline.analytics;

import com.mediapipeline.redis.Idempotent;
import com.mediapipeline.redis.RedisCall;
import com.mediapipeline.redis.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.resps.Tuple;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the hourly buckets that the status scripts write (see {@code ProgressStore}), all of a request's
 * in one pipelined round trip: each hour's counters, each interval's distinct users (the union of its
 * hours' HyperLogLogs, as PFCOUNT of several keys counts it), and the bytes per user over the range.
 */
@ApplicationScoped
@RedisCall
public class AnalyticsStore {

    @Inject
    UnifiedJedis redis;

    /** Each interval's hours' counters, and its users (estimates of HyperLogLog: exact for a few, within 0.81 % beyond). */
    public record Tallied(List<List<Map<String, String>>> hours, List<Long> users, List<Report.TopUser> bytesByUser) {
    }

    /** The business's tallies, or with a username that user's (its users then are not read: the caller knows them). */
    @Idempotent
    public Tallied read(String business, Optional<String> username, List<AnalyticsQuery.Span> spans) {
        List<List<Response<Map<String, String>>>> hours = new ArrayList<>();
        List<Response<Long>> users = new ArrayList<>();
        List<String> bytes = new ArrayList<>();
        Response<List<Tuple>> top = null;
        try (PipelineBase pipeline = redis.pipelined()) {
            for (AnalyticsQuery.Span span : spans) {
                hours.add(span.hours().stream().map(hour -> pipeline.hgetAll(username.map(name -> RedisKeys.analyticsOfUser(business, hour, name))
                        .orElse(RedisKeys.analytics(business, hour)))).toList());
                if (username.isEmpty()) {
                    span.hours().forEach(hour -> bytes.add(RedisKeys.analyticsBytes(business, hour)));
                    users.add(pipeline.pfcount(span.hours().stream().map(hour -> RedisKeys.analyticsUsers(business, hour)).toArray(String[]::new)));
                }
            }
            if (!bytes.isEmpty()) {
                top = pipeline.zunionWithScores(new ZParams(), bytes.toArray(String[]::new));
            }
            pipeline.sync();
        }
        return new Tallied(hours.stream().map(replies -> replies.stream().map(Response::get).toList()).toList(),
                users.stream().map(Response::get).toList(), top == null ? List.of() : byBytes(top.get()));
    }

    /** Most bytes first, then by name. */
    private static List<Report.TopUser> byBytes(List<Tuple> users) {
        return users.stream().map(user -> new Report.TopUser(user.getElement(), (long) user.getScore()))
                .sorted(Comparator.comparingLong(Report.TopUser::bytes).reversed().thenComparing(Report.TopUser::username)).toList();
    }
}
