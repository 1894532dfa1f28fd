package com.mediapipeline.storage;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One satisfiable byte range of a file of known size, first and last byte inclusive (RFC 9110 14.1.2). */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a {@code Range} header asks of a file of {@code size} bytes. Empty means "send the
     * whole file": no header, a malformed or invalid one (a last byte before the first, RFC 9110
     * 14.1.1), or several ranges; RFC 9110 14.2 lets a server ignore all of them.
     *
     * @throws UnsatisfiableRangeException when the single range lies wholly outside the file
     */
    public static Optional<ByteRange> parse(String header, long size) {
        Matcher m = header == null ? null : SINGLE.matcher(header.trim());
        if (m == null || !m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        try {
            return m.group(1).isEmpty() ? Optional.of(suffix(Long.parseLong(m.group(2)), size))
                    : from(Long.parseLong(m.group(1)), m.group(2), size);
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /**
     * Whether an {@code If-Range} validator still matches the file, so that its {@code Range}
     * applies: a strong entity tag equal to ours, or exactly our Last-Modified date.
     */
    public static boolean ifRangeMatches(String ifRange, String etag, Instant lastModified) {
        if (ifRange == null || ifRange.isBlank()) {
            return true;
        }
        String validator = ifRange.trim();
        if (validator.startsWith("\"") || validator.startsWith("W/")) {
            return validator.equals("\"" + etag + "\"");
        }
        try {
            Instant date = ZonedDateTime.parse(validator, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return date.equals(lastModified.truncatedTo(ChronoUnit.SECONDS));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static ByteRange suffix(long count, long size) {
        if (count == 0 || size == 0) {
            throw new UnsatisfiableRangeException(size);
        }
        return new ByteRange(Math.max(0, size - count), size - 1);
    }

    private static Optional<ByteRange> from(long first, String lastText, long size) {
        long last = lastText.isEmpty() ? Long.MAX_VALUE : Long.parseLong(lastText);
        if (last < first) {
            return Optional.empty();
        }
        if (first >= size) {
            throw new UnsatisfiableRangeException(size);
        }
        return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    }

    /** Thrown when no byte of the requested range exists: the answer is 416. */
    public static class UnsatisfiableRangeException extends RuntimeException {

        private final long size;

        UnsatisfiableRangeException(long size) {
            super("The requested range is outside the file of " + size + " bytes", null, false, false);
            this.size = size;
        }

        public long size() {
            return size;
        }
    }
}
