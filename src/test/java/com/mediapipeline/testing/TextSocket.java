package com.mediapipeline.testing;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A JDK WebSocket listener that joins each text message's parts and keeps the close code the server sent. */
abstract class TextSocket implements WebSocket.Listener {

    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    /** One whole text message. */
    protected abstract void received(String text);

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            received(text);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    /** The close code the server sent, waiting up to 15 s. */
    public int closeCode() throws Exception {
        return closeCode.get(15, TimeUnit.SECONDS);
    }
}
