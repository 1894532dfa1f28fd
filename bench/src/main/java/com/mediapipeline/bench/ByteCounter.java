package com.mediapipeline.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A response body that counts its bytes as they arrive, without copying them: at gigabytes per
 * second, a client that copies every byte is the bottleneck it is trying to measure.
 */
class ByteCounter implements Flow.Subscriber<List<ByteBuffer>> {

    private final AtomicLong total = new AtomicLong();

    /** The bytes received, or -1 if the body failed. */
    long total() {
        return total.get();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        buffers.forEach(buffer -> total.addAndGet(buffer.remaining()));
    }

    @Override
    public void onError(Throwable failure) {
        total.set(-1);
    }

    @Override
    public void onComplete() {
        // the count is complete
    }
}
