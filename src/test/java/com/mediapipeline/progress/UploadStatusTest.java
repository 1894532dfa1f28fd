package com.mediapipeline.progress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UploadStatusTest {

    @Test
    void percentHasOneDecimalAndReaches100OnlyWhenEveryByteIsThere() {
        assertEquals(75.5, UploadStatus.percent(1_510_000, 2_000_000L));
        assertEquals(33.3, UploadStatus.percent(1, 3L));
        assertEquals(99.9, UploadStatus.percent(999_999, 1_000_000L));
        assertEquals(100.0, UploadStatus.percent(10, 10L));
        assertEquals(100.0, UploadStatus.percent(0, 0L));
        assertEquals(0.0, UploadStatus.percent(500, null), "deferred length");
    }
}
