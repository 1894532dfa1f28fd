package com.mediapipeline.progress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** At most one pass per key per interval; the first call for a key always passes. */
public class Throttle {

    private final long intervalMillis;
    private final Map<String, Long> lastPass = new ConcurrentHashMap<>();

    public Throttle(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /** 0 when the key may pass now (and it is counted as passed), else how many ms until it may. */
    public long waitMillis(String key, long nowMillis) {
        long[] wait = {0};
        lastPass.compute(key, (k, last) -> {
            wait[0] = last == null ? 0 : Math.max(0, last + intervalMillis - nowMillis);
            return wait[0] == 0 ? nowMillis : last;
        });
        return wait[0];
    }

    public void forget(String key) {
        lastPass.remove(key);
    }
}
