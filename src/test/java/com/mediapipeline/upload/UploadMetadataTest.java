package com.mediapipeline.upload;

import me.desair.tus.server.upload.UploadInfo;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UploadMetadataTest {

    /** What the hook gives an upload is what its status and download read back. */
    @Test
    void encodedMetadataDecodesToTheSamePairs() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("filename", "résumé, final.pdf");
        metadata.put("filetype", "application/pdf");
        metadata.put("flag", "");
        String encoded = UploadMetadata.encode(metadata).orElseThrow();
        assertTrue(UploadMetadata.valid(encoded), encoded);
        UploadInfo info = new UploadInfo();
        info.setEncodedMetadata(encoded);
        assertEquals(metadata, UploadMetadata.decoded(info));
    }

    /** One key twice, in any case, would be one key to the hook and the status and two to a client reading the header. */
    @Test
    void aKeyNamedTwiceIsRefused() {
        assertFalse(UploadMetadata.valid("Filename ZXZpbC5leGU=,filename Z29vZC5qcGc="));
        assertFalse(UploadMetadata.valid("flag,flag"));
        assertTrue(UploadMetadata.valid("filename Z29vZC5qcGc=,filetype aW1hZ2UvanBlZw==,flag"));
    }

    @Test
    void noPairsAreTheEmptyHeaderAndNoMetadata() {
        assertEquals(Optional.of(""), UploadMetadata.encode(Map.of()));
        UploadInfo info = new UploadInfo();
        info.setEncodedMetadata("");
        assertEquals(Map.of(), UploadMetadata.decoded(info));
    }

    /** A key with a space or a comma would be read back as other keys. */
    @Test
    void aKeyTusCannotCarryIsRefused() {
        for (String key : new String[] {"", "two words", "a,b", "naïve", "tab\t"}) {
            assertEquals(Optional.empty(), UploadMetadata.encode(Map.of(key, "x")), key);
        }
    }

    @Test
    void theEncodingIsHeldToAClientsLimit() {
        assertTrue(UploadMetadata.encode(Map.of("k", "x".repeat(3069))).orElseThrow().length() <= UploadMetadata.MAX_LENGTH);
        assertEquals(Optional.empty(), UploadMetadata.encode(Map.of("k", "x".repeat(3070))));
    }
}
