package com.mediapipeline.upload;

import jakarta.servlet.http.HttpServletResponse;
import me.desair.tus.server.HttpHeader;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.UploadStorageService;
import me.desair.tus.server.util.AbstractRequestHandler;
import me.desair.tus.server.util.TusServletRequest;
import me.desair.tus.server.util.TusServletResponse;
import me.desair.tus.server.util.Utils;

import java.io.IOException;
import java.lang.reflect.Field;

/**
 * The creation POST of tus-java-server's {@code CreationPostRequestHandler}, but an
 * {@code Upload-Length: 0} makes an upload of zero bytes, complete at creation. The library's
 * {@code UploadInfo.setLength} takes 0 for "no length yet", so such an upload waited for a length
 * that its client had already sent, and never completed. The {@link CreationHook} has the last word
 * before anything is stored.
 */
final class CreationPost extends AbstractRequestHandler {

    /** The request attribute in which the TUS filter names the user who creates the upload. */
    static final String CREATOR = CreationPost.class.getName() + ".creator";
    private static final Field LENGTH = lengthField();

    private final CreationHook hook;

    CreationPost(CreationHook hook) {
        this.hook = hook;
    }

    @Override
    public boolean supports(HttpMethod method) {
        return HttpMethod.POST.equals(method);
    }

    @Override
    public void process(HttpMethod method, TusServletRequest request, TusServletResponse response,
                        UploadStorageService storage, String ownerKey) throws IOException {
        UploadInfo info = new UploadInfo(request);
        Long length = Utils.getLongHeader(request, HttpHeader.UPLOAD_LENGTH);
        if (length != null) {
            setLength(info, length);
        }
        String metadata = Utils.getHeader(request, HttpHeader.UPLOAD_METADATA);
        if (!metadata.isBlank()) {
            info.setEncodedMetadata(metadata);
        }
        String creator = (String) request.getAttribute(CREATOR);
        // every validator has passed by now, so a request refused anyway never reaches the hook
        Long size = info.hasLength() ? info.getLength() : Concatenation.partsTotal(request);
        hook.admit(new CreationHook.Creation(ownerKey, creator, size, UploadMetadata.decoded(info), request.isWrapperFor(IetfRequest.class)))
                .ifPresent(info::setEncodedMetadata);
        // the store is ours (TusServiceProducer); the library's create has no place for the creator
        info = ((UploadFileStore) storage).create(info, ownerKey, creator);
        String uri = request.getRequestURI();
        UploadCore.outcome(request, info);
        response.setHeader(HttpHeader.LOCATION, uri + (uri.endsWith("/") ? "" : "/") + info.getId());
        response.setStatus(HttpServletResponse.SC_CREATED);
    }

    static void setLength(UploadInfo info, long length) {
        if (length != 0) {
            info.setLength(length);
            return;
        }
        try {
            LENGTH.set(info, 0L);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("UploadInfo.length cannot be set", e);
        }
    }

    private static Field lengthField() {
        try {
            Field length = UploadInfo.class.getDeclaredField("length");
            length.setAccessible(true);
            return length;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("This tus-java-server has no UploadInfo.length", e);
        }
    }
}
