package com.mediapipeline.upload;

import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.Problem;
import com.mediapipeline.errors.ProblemResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import me.desair.tus.server.upload.UploadInfo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the TUS layer answered, told as the IETF draft's interop version asks: the statuses of the
 * draft, {@code Upload-Complete}, {@code Upload-Limit}, the version echoed, no {@code Tus-*} fields,
 * and errors as problem details with the draft's problem types.
 */
final class IetfResponse extends HttpServletResponseWrapper implements ProblemResponse {

    private static final String PROBLEM_TYPES = "https://iana.org/assignments/http-problem-types#";
    private static final Set<String> TUS_FIELDS = Set.of("upload-expires", "upload-defer-length", "upload-concat", "upload-metadata");

    private final HttpServletRequest request;
    private final UploadLimits limits;
    private final boolean informational;
    private IetfRequest ietf;

    /** @param informational whether a creation may answer 104 first (off behind a proxy that mishandles 1xx) */
    IetfResponse(HttpServletRequest request, HttpServletResponse response, UploadLimits limits, boolean informational) {
        super(response);
        this.request = request;
        this.limits = limits;
        this.informational = informational;
    }

    /** The request this answers, once it has been understood (until then, errors go out without a version). */
    void answers(IetfRequest understood) {
        this.ietf = understood;
        super.setHeader(IetfRequest.INTEROP_VERSION, Integer.toString(understood.version()));
    }

    /** After the TUS layer answered without error: the draft's status and fields for what the request did. */
    void finish() {
        if (ietf == null || getStatus() >= 400) {
            return;
        }
        UploadInfo upload = UploadCore.outcome(request);
        int version = ietf.version();
        switch (ietf.getMethod()) {
            case "POST" -> {
                describe(upload);
                setHeader("Upload-Limit", limits.header(version, upload, System.currentTimeMillis()));
            }
            case "PATCH" -> {
                describe(upload);
                // interop 6 answers every append 201; from 8 on, any 2xx, and the draft's examples use 204
                setStatus(version == 6 ? SC_CREATED : SC_NO_CONTENT);
            }
            case "HEAD" -> {
                describe(upload);
                setHeader("Upload-Limit", limits.header(version, upload, System.currentTimeMillis()));
                setStatus(SC_NO_CONTENT);
            }
            case "OPTIONS" -> setHeader("Upload-Limit", limits.header(version, null, System.currentTimeMillis()));
            default -> { }
        }
    }

    private void describe(UploadInfo upload) {
        if (upload == null) {
            return;
        }
        setHeader("Upload-Offset", Long.toString(upload.getOffset()));
        setHeader(IetfRequest.UPLOAD_COMPLETE, upload.isUploadInProgress() ? "?0" : "?1");
        if (upload.hasLength()) {
            setHeader("Upload-Length", Long.toString(upload.getLength()));
        }
    }

    @Override
    public Problem problem(ErrorCode code, String message) {
        Map<String, Object> members = new LinkedHashMap<>();
        ErrorCode told = code;
        if (code == ErrorCode.TOO_LARGE && TusErrors.failure(request) instanceof PastLength past) {
            // past the length of an upload, not over the service's maximum
            // interop 6 names a complete upload's problem; 8 (draft -11) calls bytes for it an inconsistent length
            told = past.alreadyComplete() && (ietf == null || ietf.version() == 6) ? ErrorCode.COMPLETED_UPLOAD : ErrorCode.INCONSISTENT_LENGTH;
        } else if (code == ErrorCode.TOO_LARGE && ietf != null) {
            setHeader("Upload-Limit", limits.header(ietf.version(), null, System.currentTimeMillis()));
        }
        String type = switch (told) {
            case OFFSET_MISMATCH -> "mismatching-upload-offset";
            case COMPLETED_UPLOAD -> "completed-upload";
            // interop 6 has no type for it: a plain 400
            case INCONSISTENT_LENGTH -> ietf != null && ietf.version() == 6 ? null : "inconsistent-upload-length";
            default -> null;
        };
        // a request that got to the upload says where it stands, failed or not (interop 6 asks it of every answer)
        describe(UploadCore.outcome(request));
        if (told == ErrorCode.OFFSET_MISMATCH) {
            TusErrors.offsetToResume(request).ifPresent(offset -> members.put("expected-offset", offset));
            members.put("provided-offset", providedOffset());
            setHeader(IetfRequest.UPLOAD_COMPLETE, "?0");
        }
        return new Problem(told, type == null ? Problem.UNTYPED : PROBLEM_TYPES + type, message, members);
    }

    private Object providedOffset() {
        String offset = request.getHeader("Upload-Offset");
        try {
            return offset == null ? null : Long.parseLong(offset.trim());
        } catch (NumberFormatException notANumber) {
            return offset;
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (isTus(name)) {
            return;
        }
        super.setHeader(name, value);
        if ("Location".equalsIgnoreCase(name)) {
            resumptionSupported(value);
        }
    }

    /**
     * A creation has its URL before the body is read: a client that named its interop version learns
     * it now, in a 104, so that it can resume even if this request never ends.
     */
    private void resumptionSupported(String location) {
        if (!informational || ietf == null || !"POST".equals(ietf.getMethod()) || request.getHeader(IetfRequest.INTEROP_VERSION) == null) {
            return;
        }
        IetfInformational.send(request, Map.of("Location", location,
                IetfRequest.INTEROP_VERSION, Integer.toString(ietf.version()),
                "Upload-Limit", limits.header(ietf.version(), null, System.currentTimeMillis())));
    }

    @Override
    public void addHeader(String name, String value) {
        if (!isTus(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!isTus(name)) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!isTus(name)) {
            super.addDateHeader(name, date);
        }
    }

    /** TUS's own fields, which mean nothing to an IETF client. */
    private static boolean isTus(String name) {
        return name.regionMatches(true, 0, "Tus-", 0, 4) || TUS_FIELDS.contains(name.toLowerCase(Locale.ROOT));
    }
}
