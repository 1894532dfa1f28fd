package com.mediapipeline.upload;

import me.desair.tus.server.upload.UploadInfo;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreationPostTest {

    @Test
    void aLengthOfZeroIsAnUploadThatHasAllItsBytes() {
        UploadInfo info = new UploadInfo();
        info.setOffset(0L);
        CreationPost.setLength(info, 0);
        assertTrue(info.hasLength());
        assertEquals(0L, info.getLength());
        assertFalse(info.isUploadInProgress());
    }

    @Test
    void otherLengthsAreTheLibrarys() {
        UploadInfo info = new UploadInfo();
        info.setOffset(0L);
        CreationPost.setLength(info, 10);
        assertEquals(10L, info.getLength());
        assertTrue(info.isUploadInProgress());
    }
}
