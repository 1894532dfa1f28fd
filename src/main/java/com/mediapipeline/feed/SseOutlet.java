package com.mediapipeline.feed;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * A feed's server-sent event stream: {@code event:} the message type, {@code id:}, {@code data:} the
 * JSON; keep-alives as comments. Jersey writes an event on the thread that sends it, and blocks while
 * the client does not read, so each stream writes on a thread of its own, never the relay's.
 */
final class SseOutlet implements Outlet {

    private final SseEventSink sink;
    private final Sse sse;
    private final ExecutorService writer;

    SseOutlet(SseEventSink sink, Sse sse, ThreadFactory threads) {
        this.sink = sink;
        this.sse = sse;
        this.writer = Executors.newSingleThreadExecutor(threads);
    }

    @Override
    public void send(Feed.Message message, Consumer<Boolean> done) {
        OutboundSseEvent event = Feed.PING.equals(message.type()) ? sse.newEventBuilder().comment("keep-alive").build()
                : sse.newEventBuilder().name(message.type()).id(message.id()).data(message.json()).build();
        try {
            writer.execute(() -> done.accept(write(event)));
        } catch (RejectedExecutionException closed) {
            done.accept(false);
        }
    }

    private boolean write(OutboundSseEvent event) {
        try {
            if (sink.isClosed()) {
                return false;
            }
            sink.send(event).toCompletableFuture().join();
            return true;
        } catch (RuntimeException failed) {
            return false;
        }
    }

    @Override
    public void close() {
        sink.close();
        writer.shutdownNow();
    }
}
