package com.mediapipeline.analytics;

import java.time.Instant;
import java.util.List;

/** The answer of {@code GET /api/v1/analytics}: the range covered (aligned), a row per interval, the top users of the range. */
public record Report(Instant from, Instant to, String interval, List<Row> rows, List<TopUser> topUsers) {

    /** One user's bytes received in the range. */
    public record TopUser(String username, long bytes) {
    }
}
