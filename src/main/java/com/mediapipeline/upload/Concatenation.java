package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import me.desair.tus.server.HttpHeader;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.RequestHandler;
import me.desair.tus.server.RequestValidator;
import me.desair.tus.server.concatenation.ConcatenationExtension;
import me.desair.tus.server.concatenation.ConcatenationHeadRequestHandler;
import me.desair.tus.server.concatenation.ConcatenationPostRequestHandler;
import me.desair.tus.server.concatenation.validation.NoUploadLengthOnFinalValidator;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.upload.UploadId;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.UploadStorageService;
import me.desair.tus.server.upload.UploadType;
import me.desair.tus.server.util.TusServletRequest;
import me.desair.tus.server.util.TusServletResponse;
import me.desair.tus.server.util.Utils;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The concatenation extension with the limits tus-java-server 1.0.0-3.0 leaves out, so that one
 * request cannot make the service copy without bound: a final upload lists at most
 * {@code mediapipeline.upload.max-parts} distinct, finished partial uploads of its business, whose
 * total stays within the maximum size. It is assembled once, at its creation and under its own lock,
 * and is then completed like any upload (the library's HEAD merges only unfinished finals, and there
 * are none).
 */
final class Concatenation extends ConcatenationExtension {

    static final String MAX_PARTS_SETTING = "mediapipeline.upload.max-parts";
    private static final String PARTS_TOTAL = Concatenation.class.getName() + ".partsTotal";

    private final UploadLocks locks;
    private final int maxParts;
    private final long maxSize;

    Concatenation(UploadLocks locks, int maxParts, long maxSize) {
        // the library builds validators and handlers in its constructor, before these fields are set: they read them when they run
        this.locks = locks;
        this.maxParts = maxParts;
        this.maxSize = maxSize;
    }

    @Override
    protected void initValidators(List<RequestValidator> validators) {
        validators.add(new NoUploadLengthOnFinalValidator());
        validators.add(new FinalParts());
    }

    @Override
    protected void initRequestHandlers(List<RequestHandler> handlers) {
        // not "concatenation-unfinished": a final upload is assembled once, from finished parts
        handlers.add(new AdvertisedExtensions("concatenation"));
        handlers.add(new LockedAssembly());
        handlers.add(new ConcatenationHeadRequestHandler());
    }

    /** The size of the final upload the request creates (its parts add up to it), or null when it creates none. */
    static Long partsTotal(HttpServletRequest request) {
        return (Long) request.getAttribute(PARTS_TOTAL);
    }

    /** As the library decides it (ignoring case in every locale: a Turkish "FINAL" must not slip past the checks). */
    static boolean isFinal(String uploadConcat) {
        return uploadConcat != null && uploadConcat.trim().regionMatches(true, 0, "final", 0, "final".length());
    }

    /** What a final upload may list. */
    private final class FinalParts implements RequestValidator {

        @Override
        public boolean supports(HttpMethod method) {
            return HttpMethod.POST.equals(method);
        }

        @Override
        public void validate(HttpMethod method, HttpServletRequest request, UploadStorageService storage, String ownerKey)
                throws IOException, TusException {
            String header = request.getHeader(HttpHeader.UPLOAD_CONCAT);
            if (!isFinal(header)) {
                return;
            }
            List<String> parts = Utils.parseConcatenationIDsFromHeader(header);
            if (parts.isEmpty() || parts.size() > maxParts) {
                throw refused("A final upload lists 1 to " + maxParts + " partial uploads");
            }
            Set<UploadId> seen = new HashSet<>();
            long total = 0;
            for (String part : parts) {
                UploadInfo info = storage.getUploadInfo(part, ownerKey);
                if (info == null || !UploadType.PARTIAL.equals(info.getUploadType())) {
                    throw refused(part + " is not a partial upload of this business");
                }
                if (!seen.add(info.getId())) {
                    throw refused(part + " is listed twice");
                }
                if (info.isUploadInProgress()) {
                    throw refused(part + " is not finished");
                }
                total += info.getLength();
            }
            if (maxSize > 0 && total > maxSize) {
                throw new ApiException(ErrorCode.TOO_LARGE, "The partial uploads add up to " + total
                        + " bytes, more than the maximum of " + maxSize);
            }
            request.setAttribute(PARTS_TOTAL, total);
        }

        private ApiException refused(String why) {
            return new ApiException(ErrorCode.BAD_REQUEST, why);
        }
    }

    /** The library's assembly of a new final upload, under that upload's lock, so that its writes are fenced. */
    private final class LockedAssembly extends ConcatenationPostRequestHandler {

        @Override
        public void process(HttpMethod method, TusServletRequest request, TusServletResponse response,
                            UploadStorageService storage, String ownerKey) throws IOException, TusException {
            String location = response.getHeader(HttpHeader.LOCATION);
            UploadInfo created = location == null ? null : storage.getUploadInfo(location, ownerKey);
            if (created == null || !isFinal(request.getHeader(HttpHeader.UPLOAD_CONCAT))) {
                super.process(method, request, response, storage, ownerKey);
                return;
            }
            try (UploadLocks.Held lock = locks.lock(ownerKey, created.getId().toString())) {
                super.process(method, request, response, storage, ownerKey);
            }
            UploadCore.outcome(request, storage.getUploadInfo(location, ownerKey));
        }
    }
}
