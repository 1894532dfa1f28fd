package com.mediapipeline.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs tasks at once, one thread each, and waits for all of them; any task's failure fails the call. */
final class Parallel {

    private Parallel() {
    }

    static <T> List<T> all(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> task : pool.invokeAll(tasks)) {
                results.add(task.get());
            }
            return results;
        } finally {
            // a failed run ends here too, instead of leaving idle threads that keep the JVM alive
            pool.shutdownNow();
        }
    }
}
