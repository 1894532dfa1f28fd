package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import me.desair.tus.server.HttpHeader;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.RequestHandler;
import me.desair.tus.server.core.CorePatchRequestHandler;
import me.desair.tus.server.core.CoreProtocol;
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
 * already in place. It replaces tus-java-server's "core" extension.
 */
final class UploadCore extends CoreProtocol {

    @Override
    protected void initRequestHandlers(List<RequestHandler> handlers) {
        super.initRequestHandlers(handlers);
        handlers.replaceAll(handler -> handler instanceof CorePatchRequestHandler ? new Append() : handler);
    }

    /** Appends the body to the upload and answers its new offset. */
    static UploadInfo append(UploadInfo info, TusServletRequest request, UploadStorageService storage)
            throws IOException, TusException {
        return ((UploadFileStore) storage).append(info, request.getContentInputStream(), Checksums.of(request));
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
            boolean declaring = !info.hasLength() && declared != null;
            if (declaring) {
                if (declared < info.getOffset()) {
                    throw new ApiException(ErrorCode.BAD_REQUEST, "Upload-Length is less than the " + info.getOffset() + " bytes received");
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
            }
            response.setHeader(HttpHeader.UPLOAD_OFFSET, Long.toString(info.getOffset()));
            response.setStatus(TusServletResponse.SC_NO_CONTENT);
        }
    }
}
