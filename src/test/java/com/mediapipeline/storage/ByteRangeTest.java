package com.mediapipeline.storage;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteRangeTest {

    @Test
    void closedRangeIsClampedToTheFile() {
        assertEquals(Optional.of(new ByteRange(10, 19)), ByteRange.parse("bytes=10-19", 100));
        assertEquals(Optional.of(new ByteRange(90, 99)), ByteRange.parse("bytes=90-500", 100));
        assertEquals("bytes 10-19/100", new ByteRange(10, 19).contentRange(100));
        assertEquals(10, new ByteRange(10, 19).length());
    }

    @Test
    void openAndSuffixRanges() {
        assertEquals(Optional.of(new ByteRange(40, 99)), ByteRange.parse("bytes=40-", 100));
        assertEquals(Optional.of(new ByteRange(95, 99)), ByteRange.parse("bytes=-5", 100));
        assertEquals(Optional.of(new ByteRange(0, 99)), ByteRange.parse("bytes=-500", 100));
    }

    @Test
    void absentMalformedOrMultipleRangesMeanTheWholeFile() {
        assertTrue(ByteRange.parse(null, 100).isEmpty());
        assertTrue(ByteRange.parse("bytes=-", 100).isEmpty());
        assertTrue(ByteRange.parse("items=1-2", 100).isEmpty());
        assertTrue(ByteRange.parse("bytes=1-2,5-6", 100).isEmpty());
        assertTrue(ByteRange.parse("bytes=99999999999999999999-", 100).isEmpty());
    }

    /** RFC 9110 14.1.1: a last byte before the first makes the range invalid, and an invalid Range is ignored. */
    @Test
    void invalidRangesMeanTheWholeFile() {
        assertTrue(ByteRange.parse("bytes=5-3", 100).isEmpty());
        assertTrue(ByteRange.parse("bytes=500-3", 100).isEmpty());
        assertTrue(ByteRange.parse("bytes=1-0", 0).isEmpty());
        assertEquals(Optional.of(new ByteRange(5, 5)), ByteRange.parse("bytes=5-5", 100));
    }

    @Test
    void rangesOutsideTheFileAreUnsatisfiable() {
        assertEquals(100, assertThrows(ByteRange.UnsatisfiableRangeException.class,
                () -> ByteRange.parse("bytes=100-", 100)).size());
        assertThrows(ByteRange.UnsatisfiableRangeException.class, () -> ByteRange.parse("bytes=-0", 100));
        assertThrows(ByteRange.UnsatisfiableRangeException.class, () -> ByteRange.parse("bytes=0-", 0));
    }

    @Test
    void ifRangeMatchesOnlyTheSameStrongTagOrDate() {
        Instant modified = Instant.parse("2024-01-01T10:00:00.700Z");
        assertTrue(ByteRange.ifRangeMatches(null, "abc", modified));
        assertTrue(ByteRange.ifRangeMatches("\"abc\"", "abc", modified));
        assertFalse(ByteRange.ifRangeMatches("W/\"abc\"", "abc", modified));
        assertFalse(ByteRange.ifRangeMatches("\"abd\"", "abc", modified));
        assertTrue(ByteRange.ifRangeMatches("Mon, 01 Jan 2024 10:00:00 GMT", "abc", modified));
        assertFalse(ByteRange.ifRangeMatches("Mon, 01 Jan 2024 09:00:00 GMT", "abc", modified));
        assertFalse(ByteRange.ifRangeMatches("yesterday", "abc", modified));
    }
}
