package com.mediapipeline.feed;

import java.util.function.Consumer;

/** Where a feed's messages go: a WebSocket session or a server-sent event stream. */
interface Outlet {

    /** Sends one message without blocking; {@code done} hears whether it went out, possibly before this returns. */
    void send(Feed.Message message, Consumer<Boolean> done);

    /** Ends the connection, if it is not over already. */
    void close();
}
