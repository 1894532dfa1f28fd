package com.mediapipeline.upload;

import me.desair.tus.server.HttpHeader;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.RequestHandler;
import me.desair.tus.server.RequestValidator;
import me.desair.tus.server.creation.CreationExtension;
import me.desair.tus.server.creation.CreationHeadRequestHandler;
import me.desair.tus.server.creation.CreationPatchRequestHandler;
import me.desair.tus.server.creation.validation.PostUriValidator;
import me.desair.tus.server.creation.validation.UploadDeferLengthValidator;
import me.desair.tus.server.creation.validation.UploadLengthValidator;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.UploadStorageService;
import me.desair.tus.server.util.AbstractRequestHandler;
import me.desair.tus.server.util.TusServletRequest;
import me.desair.tus.server.util.TusServletResponse;

import java.io.IOException;
import java.util.List;

/**
 * The creation extension with creation-with-upload, which tus-java-server only gained in 3.3: a
 * POST may carry the first bytes, which are stored and answered with {@code Upload-Offset}, under
 * the new upload's lock and with {@code Upload-Checksum} verified like a PATCH's. It replaces the
 * library's "creation" extension, whose validators refuse any POST body.
 */
class CreationWithUpload extends CreationExtension {

    static final String OCTET_STREAM = "application/offset+octet-stream";

    private final UploadLocks locks;
    private final CreationHook hook;

    CreationWithUpload(UploadLocks locks, CreationHook hook) {
        // the library builds the handlers in its constructor, before these fields are set: the handlers read them when they run
        this.locks = locks;
        this.hook = hook;
    }

    @Override
    protected void initValidators(List<RequestValidator> validators) {
        validators.add(new PostUriValidator());
        validators.add(new UploadDeferLengthValidator());
        validators.add(new UploadLengthValidator());
    }

    @Override
    protected void initRequestHandlers(List<RequestHandler> handlers) {
        handlers.add(new CreationHeadRequestHandler());
        handlers.add(new CreationPatchRequestHandler());
        handlers.add(new CreationPost(creation -> hook.admit(creation)));
        handlers.add(new BodyOnCreation());
        handlers.add(new AdvertisedExtensions("creation", "creation-with-upload", "creation-defer-length"));
    }

    /** Runs after the upload exists (Location is set) and appends the POST body to it. */
    private final class BodyOnCreation extends AbstractRequestHandler {

        @Override
        public boolean supports(HttpMethod method) {
            return HttpMethod.POST.equals(method);
        }

        @Override
        public void process(HttpMethod method, TusServletRequest request, TusServletResponse response,
                            UploadStorageService storage, String ownerKey) throws IOException, me.desair.tus.server.exception.TusException {
            String concat = request.getHeader(HttpHeader.UPLOAD_CONCAT);
            if (!OCTET_STREAM.equalsIgnoreCase(trim(request.getHeader(HttpHeader.CONTENT_TYPE)))
                    || Concatenation.isFinal(concat)) {
                return;
            }
            UploadInfo info = storage.getUploadInfo(response.getHeader(HttpHeader.LOCATION), ownerKey);
            if (info.isUploadInProgress()) {
                // an upload of zero bytes is complete at creation: there is nothing to append
                try (UploadLocks.Held lock = locks.lock(ownerKey, info.getId().toString())) {
                    info = UploadCore.append(info, request, storage);
                }
            }
            UploadCore.outcome(request, info);
            response.setHeader(HttpHeader.UPLOAD_OFFSET, Long.toString(info.getOffset()));
        }

        private static String trim(String value) {
            return value == null ? "" : value.trim();
        }
    }
}
