package com.mediapipeline.upload;

import me.desair.tus.server.HttpHeader;
import me.desair.tus.server.RequestHandler;
import me.desair.tus.server.checksum.ChecksumAlgorithm;
import me.desair.tus.server.checksum.ChecksumExtension;
import me.desair.tus.server.checksum.ChecksumOptionsRequestHandler;
import me.desair.tus.server.exception.UploadChecksumMismatchException;
import me.desair.tus.server.util.TusServletRequest;

import java.util.List;

/**
 * The checksum extension, checked before a PATCH's bytes are recorded. tus-java-server 1.0.0-3.0
 * compares the checksum after the store recorded the bytes and announced them (even "complete"),
 * then takes them back; here the store asks the {@link BodyCheck} first, and the library's own
 * PATCH handler, which would read the digest a second time, is left out.
 */
final class Checksums extends ChecksumExtension {

    @Override
    protected void initRequestHandlers(List<RequestHandler> handlers) {
        handlers.add(new ChecksumOptionsRequestHandler());
    }

    /** Compares the digest the request computed while its body was read with the one it announced. */
    static BodyCheck of(TusServletRequest request) {
        String header = request.getHeader(HttpHeader.UPLOAD_CHECKSUM);
        ChecksumAlgorithm algorithm = header == null ? null : ChecksumAlgorithm.forUploadChecksumHeader(header.trim());
        if (algorithm == null) {
            return BodyCheck.NONE;
        }
        String announced = header.trim().substring(header.trim().indexOf(' ') + 1);
        return () -> {
            if (!announced.equals(request.getCalculatedChecksum(algorithm))) {
                throw new UploadChecksumMismatchException("The body does not match its " + algorithm.getTusName() + " Upload-Checksum");
            }
        };
    }
}
