package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.web.MethodOverride;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What a TUS request is (effective method, upload id) and the checks tus-java-server 1.0.0-3.0
 * gets wrong or leaves out, made before it sees the request: strict ids (no path tricks), a method
 * override that names a TUS method, 415 for a wrong PATCH or creation body Content-Type, a PATCH
 * that names its offset, well-formed {@code Upload-Checksum}, lengths and offsets.
 */
public record TusRequest(String method, String uploadId, boolean carriesBytes) {

    public static final String ROOT = "/api/v1/uploads";
    public static final String METHOD_OVERRIDE = MethodOverride.HEADER;
    /** What an override may name: it decides the lock as well as the protocol, so nothing else passes. */
    private static final List<String> TUS_METHODS = List.of("POST", "HEAD", "PATCH", "DELETE", "OPTIONS");
    private static final Pattern CHECKSUM = Pattern.compile("(md5|sha1|sha256|sha384|sha512) [A-Za-z0-9+/]+={0,2}");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,19}");

    /**
     * @param path    the request path below the context root, starting with {@link #ROOT}
     * @param method  the HTTP method
     * @param headers the request's header values by name
     */
    public static TusRequest parse(String path, String method, UnaryOperator<String> headers) {
        String override = headers.apply(METHOD_OVERRIDE);
        String effective = MethodOverride.effective(method, override);
        if (MethodOverride.given(override) && !TUS_METHODS.contains(effective)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, METHOD_OVERRIDE + " must name a TUS method: " + String.join(", ", TUS_METHODS));
        }
        String rest = path.substring(ROOT.length());
        String id = rest.isEmpty() || rest.equals("/") ? null : rest.substring(1);
        if (id != null && !UploadId.isValid(id)) {
            throw new ApiException(ErrorCode.NOT_FOUND);
        }
        TusRequest request = new TusRequest(effective, id,
                CreationWithUpload.OCTET_STREAM.equalsIgnoreCase(trimmed(headers.apply("Content-Type"))));
        request.check(headers);
        return request;
    }

    /** Writes to an existing upload: takes its lock. */
    public boolean writes() {
        return "PATCH".equals(method) && uploadId != null;
    }

    /** Streams upload bytes (a PATCH, or a creation with upload): takes one of its business's stream slots. */
    public boolean streams() {
        return writes() || "POST".equals(method) && uploadId == null && carriesBytes;
    }

    private void check(UnaryOperator<String> headers) {
        if ("PATCH".equals(method) && !carriesBytes) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        }
        if ("PATCH".equals(method) && headers.apply("Upload-Offset") == null) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "A PATCH names the offset it appends at in Upload-Offset");
        }
        // a creation body of another type would be dropped without a word while the client counts it sent
        if ("POST".equals(method) && uploadId == null && !carriesBytes && hasBody(headers)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "A creation body is application/offset+octet-stream");
        }
        String checksum = headers.apply("Upload-Checksum");
        if (checksum != null && !CHECKSUM.matcher(checksum.trim()).matches()) {
            throw new ApiException(ErrorCode.INVALID_CHECKSUM);
        }
        String metadata = headers.apply("Upload-Metadata");
        if (metadata != null && !UploadMetadata.valid(metadata)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Upload-Metadata must be at most " + UploadMetadata.MAX_LENGTH
                    + " characters of comma-separated 'key base64value' pairs");
        }
        number(headers, "Upload-Length");
        number(headers, "Upload-Offset");
    }

    private static boolean hasBody(UnaryOperator<String> headers) {
        String length = trimmed(headers.apply("Content-Length"));
        return headers.apply("Transfer-Encoding") != null || !length.isEmpty() && !length.equals("0");
    }

    private static void number(UnaryOperator<String> headers, String name) {
        String value = headers.apply(name);
        if (value != null && !(NUMBER.matcher(value.trim()).matches() && fitsLong(value.trim()))) {
            throw new ApiException(ErrorCode.BAD_REQUEST, name + " must be a non-negative whole number");
        }
    }

    private static boolean fitsLong(String digits) {
        try {
            Long.parseLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }
}
