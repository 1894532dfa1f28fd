package com.mediapipeline.cleanup;

import com.mediapipeline.upload.UploadId;

/**
 * A range of upload ids by their first four hex digits, {@code [from, to)} of 0 to 65536: the part of the
 * storage folder one sweep reconciles. Ids are random, so slices of equal width hold about as many uploads.
 */
record Slice(int from, int to) {

    static final int IDS = 1 << 16;

    /** The slice that starts at {@code from} (anything out of range starts over), one of {@code slices} that make up the whole. */
    static Slice of(int from, int slices) {
        int start = from >= 0 && from < IDS ? from : 0;
        int width = (IDS + slices - 1) / slices;
        return new Slice(start, Math.min(IDS, start + width));
    }

    boolean contains(UploadId id) {
        int prefix = Integer.parseInt(id.value().substring(0, 4), 16);
        return prefix >= from && prefix < to;
    }

    /** Where the next slice starts: after the last one, the first again. */
    int next() {
        return to == IDS ? 0 : to;
    }
}
