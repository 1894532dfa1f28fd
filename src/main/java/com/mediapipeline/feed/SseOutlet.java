package com.mediapipeline.feed;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.function.Consumer;

/** A feed's server-sent event stream: {@code event:} the message type, {@code id:}, {@code data:} the JSON; keep-alives as comments. */
final class SseOutlet implements Outlet {

    private final SseEventSink sink;
    private final Sse sse;

    SseOutlet(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    @Override
    public void send(Feed.Message message, Consumer<Boolean> done) {
        if (sink.isClosed()) {
            done.accept(false);
            return;
        }
        OutboundSseEvent event = Feed.PING.equals(message.type()) ? sse.newEventBuilder().comment("keep-alive").build()
                : sse.newEventBuilder().name(message.type()).id(message.id())
                .data(message.json()).build();
        try {
            sink.send(event).whenComplete((sent, failure) -> done.accept(failure == null));
        } catch (IllegalStateException closed) {
            done.accept(false);
        }
    }

    @Override
    public void close() {
        sink.close();
    }
}
