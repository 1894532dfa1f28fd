package com.mediapipeline.progress;

/**
 * An event as the progress channel carries it: its id in the business's event stream ("0-0" when the
 * upload's status was gone), the business and user of the upload, and the event. The status scripts
 * write it (ProgressStore.ANNOUNCE) as those four, one per line; the event, JSON, comes last, and is
 * kept as it came, so that followers send it without writing it again.
 */
public record Relayed(String streamId, String business, String username, ProgressEvent event, String json) {

    /** The stream id of an event that is in no stream. */
    public static final String NO_ID = "0-0";

    public static Relayed parse(String message) {
        if (message.startsWith("{")) {
            // an instance of the version before, during a rolling upgrade: an event alone, for the sockets of one upload
            return new Relayed(NO_ID, "", "", ProgressEvent.fromJson(message), message);
        }
        String[] parts = message.split("\n", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not a relayed event: " + message);
        }
        return new Relayed(parts[0], parts[1], parts[2], ProgressEvent.fromJson(parts[3]), parts[3]);
    }
}
