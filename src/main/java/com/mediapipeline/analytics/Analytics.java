package com.mediapipeline.analytics;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A business's analytics report: the request checked, its hours read in one go, added up per interval. */
@ApplicationScoped
public class Analytics {

    static final int TOP_USERS = 10;

    @Inject
    AnalyticsSettings settings;

    @Inject
    AnalyticsStore store;

    public Report report(String business, String from, String to, String interval, String username) {
        if (!settings.enabled()) {
            throw new ApiException(ErrorCode.ANALYTICS_DISABLED);
        }
        AnalyticsQuery query = AnalyticsQuery.parse(from, to, interval, username, Instant.now(), settings.retention());
        List<AnalyticsQuery.Span> spans = query.spans();
        AnalyticsStore.Tallied tallied = store.read(business, query.username(), spans);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            List<Map<String, String>> hours = tallied.hours().get(i);
            // one user is active in an interval exactly when something of theirs was counted in it
            long users = query.username().isPresent() ? (hours.stream().anyMatch(hour -> !hour.isEmpty()) ? 1 : 0) : tallied.users().get(i);
            rows.add(Row.of(spans.get(i), hours, users));
        }
        return new Report(query.from(), query.to(), query.interval(), rows, topUsers(query, rows, tallied));
    }

    private static List<Report.TopUser> topUsers(AnalyticsQuery query, List<Row> rows, AnalyticsStore.Tallied tallied) {
        if (query.username().isEmpty()) {
            return tallied.bytesByUser().stream().limit(TOP_USERS).toList();
        }
        long bytes = rows.stream().mapToLong(Row::bytesReceived).sum();
        return bytes > 0 ? List.of(new Report.TopUser(query.username().get(), bytes)) : List.of();
    }
}
