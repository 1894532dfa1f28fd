package com.mediapipeline.cleanup;

import com.mediapipeline.upload.UploadId;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SliceTest {

    /** Every id is in exactly one slice of a pass, and a pass comes round to the start within {@code slices} steps. */
    @Test
    void theSlicesOfAPassCoverEveryIdOnce() {
        for (int slices : new int[]{1, 3, 144, 1000, Slice.IDS}) {
            UploadId id = new UploadId(UUID.randomUUID().toString());
            int holding = 0;
            int steps = 0;
            int from = 0;
            do {
                Slice slice = Slice.of(from, slices);
                holding += slice.contains(id) ? 1 : 0;
                from = slice.next();
                steps++;
            } while (from != 0);
            assertEquals(1, holding, slices + " slices");
            assertTrue(steps <= slices, "a pass of " + slices + " slices took " + steps + " steps");
        }
    }

    @Test
    void theFirstFourHexDigitsPlaceAnId() {
        Slice slice = Slice.of(0xab00, 256);
        assertTrue(slice.contains(new UploadId("ab00ffff-0000-4000-8000-000000000000")));
        assertTrue(slice.contains(new UploadId("abff0000-0000-4000-8000-000000000000")));
        assertFalse(slice.contains(new UploadId("ac000000-0000-4000-8000-000000000000")));
        assertFalse(slice.contains(new UploadId("aaff0000-0000-4000-8000-000000000000")));
    }

    /** A cursor saved by a version or a setting with other slices still starts a slice where it says. */
    @Test
    void aCursorOutOfRangeStartsOver() {
        assertEquals(0, Slice.of(Slice.IDS, 10).from());
        assertEquals(Slice.IDS, Slice.of(Slice.IDS - 1, 10).to());
    }
}
