package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import me.desair.tus.server.HttpHeader;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.RequestHandler;
import me.desair.tus.server.RequestValidator;
import me.desair.tus.server.concatenation.validation.PatchFinalUploadValidator;
import me.desair.tus.server.core.CoreHeadRequestHandler;
import me.desair.tus.server.core.CoreOptionsRequestHandler;
import me.desair.tus.server.core.CorePatchRequestHandler;
import me.desair.tus.server.core.CoreProtocol;
import me.desair.tus.server.core.validation.ContentTypeValidator;
import me.desair.tus.server.core.validation.HttpMethodValidator;
import me.desair.tus.server.core.validation.IdExistsValidator;
import me.desair.tus.server.core.validation.TusResumableValidator;
import me.desair.tus.server.exception.MaxUploadLengthExceededException;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.exception.UploadNotFoundException;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.UploadStorageService;
import me.desair.tus.server.util.AbstractRequestHandler;
import me.desair.tus.server.util.TusServletRequest;
import me.desair.tus.server.util.TusServletResponse;
import me.desair.tus.server.util.Utils;

import java.io.IOException;
import java.util.List;

/**
 * The core protocol with our PATCH: the body goes to our store, which checks {@code Upload-Checksum}
 * before it records anything ({@link Checksums}), with a deferred length that the PATCH declares
 * already in place. It replaces tus-java-server's "core" extension, and answers as the spec's
 * examples and tusd do where the library differs: HEAD and OPTIONS 200, 403 for any PATCH of a final
 * upload (before its offset is looked at), the offset to resume from with a 409, 413 past the length.
 */
final class UploadCore extends CoreProtocol {

    /** The request attribute that holds the upload as the request left it, for the protocol answering it to describe. */
    private static final String OUTCOME = UploadCore.class.getName() + ".outcome";
    private static final String ENDS = UploadCore.class.getName() + ".ends";

    @Override
    protected void initValidators(List<RequestValidator> validators) {
        validators.add(new HttpMethodValidator());
        validators.add(new TusResumableValidator());
        validators.add(new IdExistsValidator());
        validators.add(new ContentTypeValidator());
        validators.add(new PatchFinalUploadValidator());
        validators.add(new PatchCheck());
    }

    @Override
    protected void initRequestHandlers(List<RequestHandler> handlers) {
        super.initRequestHandlers(handlers);
        handlers.replaceAll(handler -> handler instanceof CorePatchRequestHandler ? new Append()
                : handler instanceof CoreHeadRequestHandler ? new Head()
                : handler instanceof CoreOptionsRequestHandler ? new Options()
                : handler);
    }

    static void outcome(HttpServletRequest request, UploadInfo upload) {
        request.setAttribute(OUTCOME, upload);
    }

    /** The upload as the request left it, or null when no handler got to it. */
    static UploadInfo outcome(HttpServletRequest request) {
        return (UploadInfo) request.getAttribute(OUTCOME);
    }

    /** Marks a request whose body ends its upload (when it arrives whole), whether or not its length was known. */
    static void endsUpload(HttpServletRequest request) {
        request.setAttribute(ENDS, Boolean.TRUE);
    }

    /**
     * Appends the body to the upload and answers its new offset. A body said to end the upload that
     * leaves it short of its length is refused after its bytes are kept (the client resumes from them).
     */
    static UploadInfo append(UploadInfo info, TusServletRequest request, UploadStorageService storage)
            throws IOException, TusException {
        boolean ends = Boolean.TRUE.equals(request.getAttribute(ENDS));
        UploadInfo appended;
        try {
            appended = ((UploadFileStore) storage).append(info, request.getContentInputStream(), Checksums.of(request), ends);
        } catch (MaxUploadLengthExceededException overran) {
            // the bytes within the limit were kept: the answer says where the upload stands
            outcome(request, storage.getUploadInfo(info.getId()));
            throw overran;
        }
        if (ends && appended.isUploadInProgress()) {
            outcome(request, appended);
            throw new ApiException(ErrorCode.INCONSISTENT_LENGTH, "The upload is " + appended.getLength()
                    + " bytes; the body said to end it stopped at " + appended.getOffset());
        }
        return appended;
    }

    private static final class Append extends AbstractRequestHandler {

        @Override
        public boolean supports(HttpMethod method) {
            return HttpMethod.PATCH.equals(method);
        }

        @Override
        public void process(HttpMethod method, TusServletRequest request, TusServletResponse response,
                            UploadStorageService storage, String ownerKey) throws IOException, TusException {
            UploadInfo info = storage.getUploadInfo(request.getRequestURI(), ownerKey);
            if (info == null) {
                throw new UploadNotFoundException("No upload at " + request.getRequestURI());
            }
            Long declared = Utils.getLongHeader(request, HttpHeader.UPLOAD_LENGTH);
            if (info.hasLength() && declared != null && !declared.equals(info.getLength())) {
                throw new ApiException(ErrorCode.INCONSISTENT_LENGTH, "Upload-Length is " + info.getLength() + " and cannot change");
            }
            boolean declaring = !info.hasLength() && declared != null;
            if (declaring) {
                if (declared < info.getOffset()) {
                    throw new ApiException(ErrorCode.INCONSISTENT_LENGTH, "Upload-Length is less than the " + info.getOffset() + " bytes received");
                }
                if (storage.getMaxUploadSize() > 0 && declared > storage.getMaxUploadSize()) {
                    // the library checks Upload-Length against the maximum on POST only
                    throw new ApiException(ErrorCode.TOO_LARGE, "Upload-Length is over the maximum of " + storage.getMaxUploadSize());
                }
                // a deferred length before the bytes (the library sets it after): the PATCH that
                // brings it with the last byte then records and announces the completion
                CreationPost.setLength(info, declared);
            }
            if (info.isUploadInProgress() || declaring) {
                info = append(info, request, storage);
            } else if (request.getContentInputStream().read() >= 0) {
                // a body without Content-Length for an upload that has all its bytes (one with it was refused before)
                outcome(request, info);
                throw new PastLength("The upload has all its " + info.getLength() + " bytes", true);
            }
            outcome(request, info);
            response.setHeader(HttpHeader.UPLOAD_OFFSET, Long.toString(info.getOffset()));
            response.setStatus(TusServletResponse.SC_NO_CONTENT);
        }
    }

    /**
     * A PATCH checked against the upload it names, in one read of it (IdExistsValidator has answered
     * 404 when there is none): at another offset than the upload's, it is refused with the offset to
     * resume from; a body that would run past the declared length could never be stored (413).
     */
    private static final class PatchCheck implements RequestValidator {

        @Override
        public boolean supports(HttpMethod method) {
            return HttpMethod.PATCH.equals(method);
        }

        @Override
        public void validate(HttpMethod method, HttpServletRequest request, UploadStorageService storage, String ownerKey)
                throws IOException, TusException {
            UploadInfo info = storage.getUploadInfo(request.getRequestURI(), ownerKey);
            if (info == null) {
                return;
            }
            // TusRequest let through only whole numbers that fit a long
            String offset = request.getHeader(HttpHeader.UPLOAD_OFFSET).trim();
            if (Long.parseLong(offset) != info.getOffset()) {
                throw new OffsetMismatch(info.getOffset(), offset);
            }
            Long length = Utils.getLongHeader(request, HttpHeader.CONTENT_LENGTH);
            if (length != null && info.hasLength() && info.getOffset() + length > info.getLength()) {
                throw new PastLength("The " + length + " bytes from offset " + info.getOffset()
                        + " run past the upload's length of " + info.getLength(), !info.isUploadInProgress());
            }
        }
    }

    /** Where the upload stands, never cached; an unfinished upload also says when it expires, as tusd does. */
    private static final class Head extends AbstractRequestHandler {

        @Override
        public boolean supports(HttpMethod method) {
            return HttpMethod.HEAD.equals(method);
        }

        @Override
        public void process(HttpMethod method, TusServletRequest request, TusServletResponse response,
                            UploadStorageService storage, String ownerKey) throws IOException {
            UploadInfo info = storage.getUploadInfo(request.getRequestURI(), ownerKey);
            if (info.hasLength()) {
                response.setHeader(HttpHeader.UPLOAD_LENGTH, Long.toString(info.getLength()));
            }
            response.setHeader(HttpHeader.UPLOAD_OFFSET, Long.toString(info.getOffset()));
            if (info.isUploadInProgress() && info.getExpirationTimestamp() != null) {
                response.setDateHeader(HttpHeader.UPLOAD_EXPIRES, info.getExpirationTimestamp());
            }
            response.setHeader(HttpHeader.CACHE_CONTROL, "no-store");
            outcome(request, info);
            response.setStatus(TusServletResponse.SC_OK);
        }
    }

    private static final class Options extends CoreOptionsRequestHandler {

        @Override
        public void process(HttpMethod method, TusServletRequest request, TusServletResponse response,
                            UploadStorageService storage, String ownerKey) {
            super.process(method, request, response, storage, ownerKey);
            response.setStatus(TusServletResponse.SC_OK);
        }
    }
}
