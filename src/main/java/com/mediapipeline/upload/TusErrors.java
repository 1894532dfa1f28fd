package com.mediapipeline.upload;

import com.mediapipeline.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import me.desair.tus.server.exception.ChecksumAlgorithmNotSupportedException;
import me.desair.tus.server.exception.InvalidContentLengthException;
import me.desair.tus.server.exception.InvalidContentTypeException;
import me.desair.tus.server.exception.InvalidPartialUploadIdException;
import me.desair.tus.server.exception.InvalidTusResumableException;
import me.desair.tus.server.exception.InvalidUploadLengthException;
import me.desair.tus.server.exception.InvalidUploadOffsetException;
import me.desair.tus.server.exception.MaxUploadLengthExceededException;
import me.desair.tus.server.exception.PatchOnFinalUploadNotAllowedException;
import me.desair.tus.server.exception.PostOnInvalidRequestURIException;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.exception.UnsupportedMethodException;
import me.desair.tus.server.exception.UploadAlreadyLockedException;
import me.desair.tus.server.exception.UploadChecksumMismatchException;
import me.desair.tus.server.exception.UploadInProgressException;
import me.desair.tus.server.exception.UploadLengthNotAllowedOnConcatenationException;
import me.desair.tus.server.exception.UploadNotFoundException;
import me.desair.tus.server.exception.UploadOffsetMismatchException;

import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * tus-java-server's exceptions, each mapped by its type to its code of the one error table. The
 * library reports them through {@code sendError(status, message)}, which says too little (two
 * different failures share 409, 412, 400); its service hands each exception here first.
 */
final class TusErrors {

    private static final String FAILURE = TusErrors.class.getName() + ".failure";
    private static final Logger LOG = Logger.getLogger(TusErrors.class.getName());
    private static final Map<Class<? extends TusException>, ErrorCode> CODES = Map.ofEntries(
            Map.entry(ChecksumAlgorithmNotSupportedException.class, ErrorCode.INVALID_CHECKSUM),
            Map.entry(InvalidContentLengthException.class, ErrorCode.BAD_REQUEST),
            Map.entry(InvalidContentTypeException.class, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
            Map.entry(InvalidPartialUploadIdException.class, ErrorCode.INVALID_PARTIAL_UPLOAD),
            Map.entry(InvalidTusResumableException.class, ErrorCode.UNSUPPORTED_VERSION),
            Map.entry(InvalidUploadLengthException.class, ErrorCode.BAD_REQUEST),
            Map.entry(InvalidUploadOffsetException.class, ErrorCode.BAD_REQUEST),
            Map.entry(MaxUploadLengthExceededException.class, ErrorCode.TOO_LARGE),
            Map.entry(PatchOnFinalUploadNotAllowedException.class, ErrorCode.FINAL_UPLOAD_NOT_PATCHABLE),
            Map.entry(PostOnInvalidRequestURIException.class, ErrorCode.METHOD_NOT_ALLOWED),
            Map.entry(UnsupportedMethodException.class, ErrorCode.METHOD_NOT_ALLOWED),
            Map.entry(UploadAlreadyLockedException.class, ErrorCode.LOCKED),
            Map.entry(UploadChecksumMismatchException.class, ErrorCode.CHECKSUM_MISMATCH),
            Map.entry(UploadInProgressException.class, ErrorCode.PARTIAL_UPLOAD_UNFINISHED),
            Map.entry(UploadLengthNotAllowedOnConcatenationException.class, ErrorCode.BAD_REQUEST),
            Map.entry(UploadNotFoundException.class, ErrorCode.NOT_FOUND),
            Map.entry(UploadOffsetMismatchException.class, ErrorCode.OFFSET_MISMATCH),
            Map.entry(UploadDeletedException.class, ErrorCode.GONE));

    private TusErrors() {
    }

    /** Keeps the library's exception with the request, for {@link #codeOf} to map when it is sent. */
    static void remember(HttpServletRequest request, TusException failure) {
        request.setAttribute(FAILURE, failure);
    }

    /** The library's exception the request failed with, if it failed with one. */
    static TusException failure(HttpServletRequest request) {
        return (TusException) request.getAttribute(FAILURE);
    }

    /** The offset a PATCH refused for its offset should resume from. */
    static OptionalLong offsetToResume(HttpServletRequest request) {
        return request.getAttribute(FAILURE) instanceof OffsetMismatch mismatch
                ? OptionalLong.of(mismatch.current()) : OptionalLong.empty();
    }

    /**
     * The code of the exception the request failed with. The library also sends a bare 500 when it
     * cannot tell why a PATCH stored nothing; that, and any exception type it may add, is logged to be looked at.
     */
    static ErrorCode codeOf(HttpServletRequest request, String message) {
        ErrorCode code = request.getAttribute(FAILURE) instanceof TusException failure ? codeOf(failure) : ErrorCode.INTERNAL_ERROR;
        if (code == ErrorCode.INTERNAL_ERROR) {
            LOG.severe("tus-java-server failed " + request.getMethod() + " " + request.getRequestURI() + ": " + message);
        }
        return code;
    }

    /** The code of the exception's type, or of the nearest type above it that has one. */
    static ErrorCode codeOf(TusException failure) {
        for (Class<?> type = failure.getClass(); type != TusException.class; type = type.getSuperclass()) {
            ErrorCode code = CODES.get(type);
            if (code != null) {
                return code;
            }
        }
        return ErrorCode.INTERNAL_ERROR;
    }
}
