package com.mediapipeline.feed;

/** An entry id of a Redis stream, {@code <ms>-<seq>}: the id of an event, ordered as the stream orders them. */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    static final StreamId ZERO = new StreamId(0, 0);

    /** The id, or null if the text is not one. */
    static StreamId parse(String text) {
        if (text == null) {
            return null;
        }
        int dash = text.indexOf('-');
        try {
            return dash < 0 ? null : new StreamId(Long.parseLong(text.substring(0, dash)), Long.parseUnsignedLong(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The id just before this one: resuming after it includes this one. */
    StreamId previous() {
        if (sequence != 0) {
            return new StreamId(millis, sequence - 1);
        }
        return millis == 0 ? ZERO : new StreamId(millis - 1, -1L);
    }

    static StreamId max(StreamId a, StreamId b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(StreamId other) {
        int byMillis = Long.compare(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + Long.toUnsignedString(sequence);
    }
}
