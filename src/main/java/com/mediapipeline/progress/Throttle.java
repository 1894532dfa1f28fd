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

    public boolean tryPass(String key, long nowMillis) {
        boolean[] passed = {false};
        lastPass.compute(key, (k, last) -> {
            passed[0] = last == null || nowMillis - last >= intervalMillis;
            return passed[0] ? nowMillis : last;
        });
        return passed[0];
    }

    public void forget(String key) {
        lastPass.remove(key);
    }
}
