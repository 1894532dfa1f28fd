package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request of IETF Resumable Uploads for HTTP (draft-ietf-httpbis-resumable-upload, interop versions
 * 6 and 8), checked against its draft and presented as the TUS request that does the same, so that
 * one write path (locks, checksums, fencing, progress) serves both protocols: {@code Upload-Complete}
 * becomes a known or a deferred {@code Upload-Length} (and a body that ends the upload),
 * {@code application/partial-upload} the TUS body type, {@code Content-Digest} the {@code Upload-Checksum}.
 */
final class IetfRequest extends HttpServletRequestWrapper {

    static final String INTEROP_VERSION = "Upload-Draft-Interop-Version";
    static final String UPLOAD_COMPLETE = "Upload-Complete";
    static final String PARTIAL_UPLOAD = "application/partial-upload";
    /** What iOS 18.1+ and tus-js-client's ietf-draft-05 send, and what drafts -09 to the latest declare. */
    static final Set<Integer> VERSIONS = Set.of(6, 8);
    static final int LATEST = 8;
    private static final Pattern DIGEST_VALUE = Pattern.compile(":([A-Za-z0-9+/]+={0,2}):");
    private static final Pattern FILENAME_UTF8 = Pattern.compile("UTF-8'[^']*'(\\S+)", Pattern.CASE_INSENSITIVE);
    private static final List<String> OFFSET_HEADERS = List.of("Upload-Offset", UPLOAD_COMPLETE, "Upload-Length");

    private final int version;
    private final Map<String, String> tusHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final String method;

    private IetfRequest(HttpServletRequest request, int version, String method) {
        super(request);
        this.version = version;
        this.method = method;
    }

    /**
     * Whether the request speaks the IETF protocol: it names an interop version or says whether it
     * completes the upload, and is no TUS request (a TUS client on a platform that adds the draft's
     * fields to every upload stays a TUS client).
     */
    static boolean selects(HttpServletRequest request) {
        return request.getHeader("Tus-Resumable") == null
                && (request.getHeader(INTEROP_VERSION) != null || request.getHeader(UPLOAD_COMPLETE) != null);
    }

    /**
     * The TUS request for this IETF request, or 400 when it breaks its draft.
     *
     * @param path the request path below the context root
     */
    static IetfRequest of(HttpServletRequest request, String path) {
        int version = versionOf(request);
        boolean creation = path.equals(TusRequest.ROOT) || path.equals(TusRequest.ROOT + "/");
        String override = request.getHeader(TusRequest.METHOD_OVERRIDE);
        String asked = (override == null || override.isBlank() ? request.getMethod() : override.trim()).toUpperCase(Locale.ROOT);
        // interop 8 allows GET for the offset; a GET means nothing else on an upload
        String method = "GET".equals(asked) && version >= 8 && !creation ? "HEAD" : asked;
        IetfRequest ietf = new IetfRequest(request, version, method);
        ietf.tusHeaders.put("Tus-Resumable", "1.0.0");
        if (override != null) {
            ietf.tusHeaders.put(TusRequest.METHOD_OVERRIDE, method);
        }
        switch (method) {
            case "POST" -> ietf.creation(creation);
            case "PATCH" -> ietf.append();
            case "HEAD", "DELETE" -> ietf.noUploadFields();
            default -> { }
        }
        return ietf;
    }

    /** The interop version the request asks for (without one, the latest), or 400 for one we do not speak. */
    private static int versionOf(HttpServletRequest request) {
        String asked = request.getHeader(INTEROP_VERSION);
        if (asked == null) {
            return LATEST;
        }
        try {
            int version = Integer.parseInt(asked.trim());
            if (VERSIONS.contains(version)) {
                return version;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, as any version we do not speak
        }
        throw new ApiException(ErrorCode.UNSUPPORTED_INTEROP_VERSION);
    }

    int version() {
        return version;
    }

    /** Creation: a POST with Upload-Complete, the body the upload's first bytes (or all of them). */
    private void creation(boolean onCollection) {
        if (!onCollection) {
            return; // the TUS layer answers a POST to an upload URL
        }
        String completeField = super.getHeader(UPLOAD_COMPLETE);
        if (completeField == null) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "A creation says Upload-Complete: ?1 or ?0");
        }
        boolean complete = parseComplete(completeField);
        Long declared = number("Upload-Length");
        Long content = contentLength();
        if (complete && content != null) {
            if (declared != null && !declared.equals(content)) {
                throw new ApiException(ErrorCode.INCONSISTENT_LENGTH, "Upload-Length is " + declared
                        + " but the complete upload's body is " + content + " bytes");
            }
            declared = content;
        }
        if (declared != null) {
            tusHeaders.put("Upload-Length", Long.toString(declared));
        } else {
            tusHeaders.put("Upload-Defer-Length", "1");
        }
        if (hasBody()) {
            tusHeaders.put("Content-Type", CreationWithUpload.OCTET_STREAM);
            checksum(complete);
            if (complete) {
                UploadCore.endsUpload(this);
            }
        }
        String metadata = metadata();
        if (super.getHeader("Upload-Metadata") == null && metadata != null) {
            tusHeaders.put("Upload-Metadata", metadata);
        }
    }

    /** Append: a PATCH of application/partial-upload at Upload-Offset; Upload-Complete: ?1 ends the upload. */
    private void append() {
        String type = super.getHeader("Content-Type");
        if (type == null || !PARTIAL_UPLOAD.equalsIgnoreCase(type.split(";")[0].trim())) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "An append is " + PARTIAL_UPLOAD);
        }
        tusHeaders.put("Content-Type", CreationWithUpload.OCTET_STREAM);
        String completeField = super.getHeader(UPLOAD_COMPLETE);
        if (completeField == null && version >= 8) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "An append says Upload-Complete: ?1 or ?0");
        }
        // interop 6 clients (as Apple's own server reads them) mean "complete" without the field
        boolean complete = completeField == null || parseComplete(completeField);
        Long offset = number("Upload-Offset");
        Long content = contentLength();
        if (complete && offset != null && content != null) {
            long end = offset + content;
            Long declared = number("Upload-Length");
            if (declared != null && declared != end) {
                throw new ApiException(ErrorCode.INCONSISTENT_LENGTH, "Upload-Length is " + declared
                        + " but the upload ends at " + end);
            }
            tusHeaders.put("Upload-Length", Long.toString(end));
        }
        if (complete) {
            UploadCore.endsUpload(this);
        }
        checksum(false);
    }

    /** Interop 6: offset retrieval and cancellation carry none of the upload's fields. */
    private void noUploadFields() {
        if (version == 6 && OFFSET_HEADERS.stream().anyMatch(name -> super.getHeader(name) != null)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, method + " carries none of " + String.join(", ", OFFSET_HEADERS));
        }
    }

    /** Upload-Complete, a structured-field boolean. */
    private static boolean parseComplete(String value) {
        return switch (value.trim()) {
            case "?1" -> true;
            case "?0" -> false;
            default -> throw new ApiException(ErrorCode.BAD_REQUEST, "Upload-Complete is ?1 or ?0");
        };
    }

    /**
     * Content-Digest covers this request's body, which is what TUS's Upload-Checksum checks; so does
     * Repr-Digest when the body is the whole upload. A sha-256 or sha-512 member that is no byte
     * sequence is refused, as TUS refuses a malformed checksum; other algorithms are ignored, as
     * RFC 9530 allows.
     */
    private void checksum(boolean bodyIsWholeUpload) {
        String field = bodyIsWholeUpload && super.getHeader("Content-Digest") == null ? "Repr-Digest" : "Content-Digest";
        for (String line : Collections.list(super.getHeaders(field))) {
            for (String member : line.split(",")) {
                int equals = member.indexOf('=');
                String algorithm = (equals < 0 ? member : member.substring(0, equals)).trim();
                if (!algorithm.equals("sha-256") && !algorithm.equals("sha-512")) {
                    continue;
                }
                // a member's parameters (";key=value") do not change its digest
                Matcher value = DIGEST_VALUE.matcher(equals < 0 ? "" : member.substring(equals + 1).split(";")[0].trim());
                if (!value.matches()) {
                    throw new ApiException(ErrorCode.INVALID_CHECKSUM, field + " " + algorithm + " must be :<base64 digest>:");
                }
                tusHeaders.put("Upload-Checksum", algorithm.replace("-", "") + " " + value.group(1));
                return;
            }
        }
    }

    /** The representation's name and type, as TUS metadata, for the download. */
    private String metadata() {
        StringBuilder metadata = new StringBuilder();
        String name = filename();
        if (name != null && !name.isBlank()) {
            metadata.append("filename ").append(base64(name.trim()));
        }
        String type = super.getHeader("Content-Type");
        if (type != null && !type.isBlank() && !PARTIAL_UPLOAD.equalsIgnoreCase(type.split(";")[0].trim())) {
            metadata.append(metadata.isEmpty() ? "" : ",").append("filetype ").append(base64(type.trim()));
        }
        // past TUS's cap the name and type are dropped: they are not worth refusing the upload for
        return metadata.isEmpty() || metadata.length() > UploadMetadata.MAX_LENGTH ? null : metadata.toString();
    }

    /** Content-Disposition's filename* (RFC 8187, UTF-8) or else its filename. */
    private String filename() {
        String disposition = super.getHeader("Content-Disposition");
        if (disposition == null) {
            return null;
        }
        Map<String, String> parameters = parameters(disposition);
        String extended = parameters.get("filename*");
        Matcher utf8 = extended == null ? null : FILENAME_UTF8.matcher(extended);
        if (utf8 != null && utf8.matches()) {
            try {
                return URLDecoder.decode(utf8.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                // the plain filename, if any, stands in
            }
        }
        return parameters.get("filename");
    }

    /** The parameters after a header value's first ';', by lowercase name; quoted values unquoted, ';' inside them kept. */
    private static Map<String, String> parameters(String header) {
        Map<String, String> parameters = new TreeMap<>();
        int at = header.indexOf(';');
        while (at >= 0 && at < header.length()) {
            int equals = header.indexOf('=', at + 1);
            if (equals < 0) {
                break;
            }
            String name = header.substring(at + 1, equals).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            int next = equals + 1;
            while (next < header.length() && header.charAt(next) == ' ') {
                next++;
            }
            if (next < header.length() && header.charAt(next) == '"') {
                for (next++; next < header.length() && header.charAt(next) != '"'; next++) {
                    if (header.charAt(next) == '\\' && next + 1 < header.length()) {
                        next++;
                    }
                    value.append(header.charAt(next));
                }
                next = header.indexOf(';', next);
            } else {
                int end = header.indexOf(';', next);
                value.append(header, next, end < 0 ? header.length() : end);
                next = end;
            }
            parameters.putIfAbsent(name, value.toString().trim());
            at = next;
        }
        return parameters;
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private Long number(String name) {
        String value = super.getHeader(name);
        if (value == null) {
            return null;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new ApiException(ErrorCode.BAD_REQUEST, name + " must be a non-negative whole number");
    }

    private Long contentLength() {
        long length = getContentLengthLong();
        return length < 0 || super.getHeader("Transfer-Encoding") != null ? null : length;
    }

    private boolean hasBody() {
        Long length = contentLength();
        return length == null || length > 0;
    }

    @Override
    public String getMethod() {
        return method;
    }

    @Override
    public String getHeader(String name) {
        return tusHeaders.containsKey(name) ? tusHeaders.get(name) : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return tusHeaders.containsKey(name) ? Collections.enumeration(List.of(tusHeaders.get(name))) : super.getHeaders(name);
    }

    @Override
    public String getContentType() {
        return getHeader("Content-Type");
    }
}
