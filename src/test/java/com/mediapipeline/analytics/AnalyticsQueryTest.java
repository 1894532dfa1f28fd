package com.mediapipeline.analytics;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnalyticsQueryTest {

    private static final Instant NOW = Instant.parse("2026-11-30T03:25:10Z");
    private static final Duration RETENTION = Duration.ofDays(90);

    /** Buckets are aligned to the interval in UTC: from rounded down, to up; each row one interval. */
    @Test
    void hourlyRowsAreAlignedToTheHour() {
        AnalyticsQuery query = parse("2026-11-29T22:30:00Z", "2026-11-30T00:00:01Z", "PT1H");
        assertEquals(Instant.parse("2026-11-29T22:00:00Z"), query.from());
        assertEquals(Instant.parse("2026-11-30T01:00:00Z"), query.to());
        assertEquals(List.of(span("2026-11-29T22:00:00Z", "2026-11-29T23:00:00Z"), span("2026-11-29T23:00:00Z", "2026-11-30T00:00:00Z"),
                span("2026-11-30T00:00:00Z", "2026-11-30T01:00:00Z")), query.spans());
    }

    /** to is exclusive: an aligned to adds no row of its own. */
    @Test
    void anAlignedToIsExclusive() {
        assertEquals(2, parse("2026-11-28T00:00:00Z", "2026-11-30T00:00:00Z", "P1D").spans().size());
    }

    /** A day row adds up the 24 hours of its UTC day. */
    @Test
    void dailyRowsAreUtcDaysOfTwentyFourHours() {
        AnalyticsQuery query = parse("2026-11-29T05:00:00+02:00", "2026-11-30T00:00:00Z", "P1D");
        assertEquals(List.of(span("2026-11-29T00:00:00Z", "2026-11-30T00:00:00Z")), query.spans());
        assertEquals(24, query.spans().get(0).hours().size());
        assertEquals(Instant.parse("2026-11-29T00:00:00Z").getEpochSecond(), query.spans().get(0).hours().get(0));
    }

    /** A future to is fine: the rows stop at the current interval. */
    @Test
    void rowsStopAtTheCurrentInterval() {
        AnalyticsQuery query = parse("2026-11-30T00:00:00Z", "2027-01-01T00:00:00Z", "PT1H");
        assertEquals(4, query.spans().size());
        assertEquals(Instant.parse("2026-11-30T04:00:00Z"), query.to());
    }

    @Test
    void aRangeStillToComeHasNoRows() {
        assertEquals(List.of(), parse("2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z", "P1D").spans());
    }

    /** The oldest accepted from is the start of the interval the retention reaches back into. */
    @Test
    void fromReachesBackToTheRetention() {
        assertEquals(91, parse("2026-09-01T00:00:00Z", "2026-12-01T00:00:00Z", "P1D").spans().size());
        assertInvalid("2026-08-31T23:59:59Z", "2026-12-01T00:00:00Z", "P1D");
        assertInvalid("2026-09-01T02:59:59Z", "2026-12-01T00:00:00Z", "PT1H");
    }

    @Test
    void oneRequestCoversAtMostAHundredDays() {
        Instant from = Instant.parse("2026-08-01T00:00:00Z");
        parseWith(from, "2026-11-09T00:00:00Z", Duration.ofDays(365));
        assertThrows(ApiException.class, () -> parseWith(from, "2026-11-09T01:00:00Z", Duration.ofDays(365)));
    }

    @ParameterizedTest
    @CsvSource({"PT2H, 14", "PT12H, 3", "PT24H, 2"})
    void wholeHoursThatDivideADayAreIntervalsToo(String interval, int rows) {
        assertEquals(rows, parse("2026-11-29T00:00:00Z", "2026-12-01T00:00:00Z", interval).spans().size());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "null, 2026-11-30T00:00:00Z, PT1H", "2026-11-29T00:00:00Z, null, PT1H", "2026-11-29T00:00:00Z, 2026-11-30T00:00:00Z, null",
        "yesterday, 2026-11-30T00:00:00Z, PT1H", "2026-11-29, 2026-11-30T00:00:00Z, PT1H",
        "2026-11-29T00:00:00Z, 2026-11-30T00:00:00Z, PT30M", "2026-11-29T00:00:00Z, 2026-11-30T00:00:00Z, PT5H",
        "2026-11-29T00:00:00Z, 2026-11-30T00:00:00Z, P7D", "2026-11-29T00:00:00Z, 2026-11-30T00:00:00Z, hourly",
        "2026-11-29T00:00:00Z, 2026-11-29T00:00:00Z, PT1H", "2026-11-30T00:00:00Z, 2026-11-29T00:00:00Z, PT1H",
        "2026-11-29T10:30:00Z, 2026-11-29T10:20:00Z, PT1H"})
    void badParametersAreRefused(String from, String to, String interval) {
        assertInvalid(from, to, interval);
    }

    @Test
    void theUsernameIsOneAsXUsernameGivesIt() {
        assertEquals("carol.b@x", AnalyticsQuery.parse("2026-11-29T00:00:00Z", "2026-11-30T00:00:00Z", "P1D", "carol.b@x", NOW, RETENTION)
                .username().orElseThrow());
        assertThrows(ApiException.class, () -> AnalyticsQuery.parse("2026-11-29T00:00:00Z", "2026-11-30T00:00:00Z", "P1D", "a:b", NOW, RETENTION));
        assertThrows(ApiException.class, () -> AnalyticsQuery.parse("2026-11-29T00:00:00Z", "2026-11-30T00:00:00Z", "P1D", "", NOW, RETENTION));
    }

    private static AnalyticsQuery parse(String from, String to, String interval) {
        return AnalyticsQuery.parse(from, to, interval, null, NOW, RETENTION);
    }

    private static void parseWith(Instant from, String to, Duration retention) {
        AnalyticsQuery.parse(from.toString(), to, "P1D", null, Instant.parse("2026-12-31T00:00:00Z"), retention);
    }

    private static void assertInvalid(String from, String to, String interval) {
        ApiException refused = assertThrows(ApiException.class, () -> parse(from, to, interval));
        assertEquals(ErrorCode.INVALID_ANALYTICS_QUERY, refused.code());
    }

    private static AnalyticsQuery.Span span(String start, String end) {
        return new AnalyticsQuery.Span(Instant.parse(start), Instant.parse(end));
    }
}
