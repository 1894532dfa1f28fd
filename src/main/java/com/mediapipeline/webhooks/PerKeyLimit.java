package com.mediapipeline.webhooks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@code most} at once per key (a business), on this instance. */
final class PerKeyLimit {

    private final int most;
    private final Map<String, Integer> taken = new ConcurrentHashMap<>();

    PerKeyLimit(int most) {
        this.most = most;
    }

    /** One of the key's places, if it has one free; give it back with {@link #release}. */
    boolean tryTake(String key) {
        boolean[] took = {false};
        taken.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            took[0] = now < most;
            return took[0] ? now + 1 : count;
        });
        return took[0];
    }

    /** What the keys that have places taken may take still; any other key may take {@code most}. */
    Map<String, Integer> left() {
        Map<String, Integer> left = new HashMap<>();
        taken.forEach((key, count) -> left.put(key, Math.max(0, most - count)));
        return left;
    }

    void release(String key) {
        taken.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
    }
}
