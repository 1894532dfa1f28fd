package com.mediapipeline.webhooks;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many due deliveries each business takes in one round of an instance: one each in turn, the
 * business whose earliest delivery has waited longest first, until the round's free places are given, and
 * none more than its places on this instance that are not in use. A business with thousands due takes its
 * share, not everyone's.
 */
final class FairShares {

    private FairShares() {
    }

    /** A business's deliveries due: since when the earliest one is, and how many (as many as a round could take, at most). */
    record Waiting(long earliestMillis, int count) {
    }

    /**
     * The shares of {@code count} places among the businesses with deliveries {@code due}: at most
     * {@code perBusiness} each, or what {@code left} says for a business with attempts in flight.
     */
    static Map<String, Integer> of(Map<String, Waiting> due, Map<String, Integer> left, int perBusiness, int count) {
        List<String> turns = due.keySet().stream()
                .sorted(Comparator.comparingLong((String business) -> due.get(business).earliestMillis()).thenComparing(business -> business))
                .toList();
        Map<String, Integer> shares = new LinkedHashMap<>();
        int given = 0;
        boolean gave = true;
        while (gave && given < count) {
            gave = false;
            for (String business : turns) {
                int share = shares.getOrDefault(business, 0);
                if (given < count && share < Math.min(due.get(business).count(), left.getOrDefault(business, perBusiness))) {
                    shares.put(business, share + 1);
                    given++;
                    gave = true;
                }
            }
        }
        return shares;
    }
}
