package com.mediapipeline.analytics;

import com.mediapipeline.auth.Caller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request for analytics, checked and aligned: intervals of whole hours that divide a day (or a day),
 * aligned in UTC; {@code from} rounded down and {@code to} up to them, then cut at the end of the current
 * interval; not reaching back past the retention; at most {@link #MAX_SPAN}, so that one request reads a
 * bounded number of hours whatever the retention.
 */
public record AnalyticsQuery(Instant from, Instant to, String interval, Duration step, Optional<String> username) {

    static final Duration MAX_SPAN = Duration.ofDays(100);

    /** One row's interval and the hours it adds up. */
    public record Span(Instant start, Instant end) {

        List<Long> hours() {
            List<Long> hours = new ArrayList<>();
            for (long hour = start.getEpochSecond(); hour < end.getEpochSecond(); hour += 3600) {
                hours.add(hour);
            }
            return hours;
        }
    }

    static AnalyticsQuery parse(String from, String to, String interval, String username, Instant now, Duration retention) {
        Duration step = step(interval);
        Instant requestedStart = instant("from", from);
        Instant requestedEnd = instant("to", to);
        require(requestedStart.isBefore(requestedEnd), "from must be before to");
        Instant start = align(requestedStart, step);
        Instant end = max(start, min(alignUp(requestedEnd, step), align(now, step).plus(step)));
        require(!start.isBefore(align(now.minus(retention), step)), "from must be within the retention (" + retention + ")");
        require(Duration.between(start, end).compareTo(MAX_SPAN) <= 0, "a request covers at most " + MAX_SPAN.toDays() + " days");
        require(username == null || Caller.isUsername(username), "username must be 1-128 letters, digits and ._@-");
        return new AnalyticsQuery(start, end, interval, step, Optional.ofNullable(username));
    }

    /** The rows' intervals, from the first to the current one; none when {@code from} is still to come. */
    List<Span> spans() {
        List<Span> spans = new ArrayList<>();
        for (Instant start = from; start.isBefore(to); start = start.plus(step)) {
            spans.add(new Span(start, start.plus(step)));
        }
        return spans;
    }

    private static Duration step(String interval) {
        require(interval != null, "interval is required: PT1H or P1D (or whole hours dividing a day)");
        Duration step;
        try {
            step = Duration.parse(interval);
        } catch (DateTimeParseException e) {
            throw invalid("interval must be an ISO-8601 duration such as PT1H or P1D, was " + interval);
        }
        boolean wholeHours = step.toSeconds() >= 3600 && step.toSeconds() % 3600 == 0;
        require(wholeHours && Duration.ofDays(1).toSeconds() % step.toSeconds() == 0,
                "interval must be whole hours that divide a day (PT1H, PT2H, …, PT12H) or P1D, was " + interval);
        return step;
    }

    private static Instant instant(String name, String value) {
        require(value != null, name + " is required: an ISO-8601 instant such as 2026-11-30T00:00:00Z");
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 instant such as 2026-11-30T00:00:00Z, was " + value);
        }
    }

    static Instant align(Instant at, Duration step) {
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), step.toSeconds()) * step.toSeconds());
    }

    private static Instant alignUp(Instant at, Duration step) {
        Instant down = align(at, step);
        return down.equals(at) ? at : down.plus(step);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static void require(boolean valid, String message) {
        if (!valid) {
            throw invalid(message);
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_ANALYTICS_QUERY, message);
    }
}
