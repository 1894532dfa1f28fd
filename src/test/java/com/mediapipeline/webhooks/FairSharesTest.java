package com.mediapipeline.webhooks;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FairSharesTest {

    /** A business with thousands due takes its share of a round, not everyone's. */
    @Test
    void aBusyBusinessTakesItsShareAndTheQuietOnesTheirs() {
        Map<String, Integer> shares = FairShares.of(Map.of("busy", new FairShares.Waiting(1, 4), "quiet", new FairShares.Waiting(500, 1)),
                Map.of(), 4, 32);

        assertEquals(Map.of("busy", 4, "quiet", 1), shares);
    }

    /** What a business has in flight counts against what it may take. */
    @Test
    void attemptsInFlightCountAgainstTheShare() {
        Map<String, FairShares.Waiting> due = Map.of("busy", new FairShares.Waiting(1, 4));

        assertEquals(Map.of("busy", 1), FairShares.of(due, Map.of("busy", 1), 4, 32));
        assertEquals(Map.of(), FairShares.of(due, Map.of("busy", 0), 4, 32));
    }

    /** With fewer places than businesses due, one each in turn, those whose deliveries waited longest first. */
    @Test
    void fewPlacesGoOneEachToTheLongestWaiting() {
        Map<String, Integer> shares = FairShares.of(Map.of("a", new FairShares.Waiting(300, 4), "b", new FairShares.Waiting(100, 4),
                "c", new FairShares.Waiting(200, 4)), Map.of(), 4, 4);

        assertEquals(Map.of("b", 2, "c", 1, "a", 1), shares);
    }
}
