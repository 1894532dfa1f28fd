package com.mediapipeline.storage;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** The 200 or 206 answer for a stored file, its bytes streamed from disk as the client reads them. */
final class FileResponses {

    private FileResponses() {
    }

    static Response.ResponseBuilder of(StoredFile file, Optional<ByteRange> part) {
        ByteRange range = part.orElse(new ByteRange(0, file.size() - 1));
        Response.ResponseBuilder response = part.isPresent()
                ? Response.status(Response.Status.PARTIAL_CONTENT).header("Content-Range", range.contentRange(file.size()))
                : Response.ok();
        return response
                .type(file.contentType())
                .header("Content-Disposition", DownloadHeaders.contentDisposition(file.filename()))
                .header("Content-Length", Math.max(0, range.length()))
                .header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff")
                .entity((StreamingOutput) out -> copy(file, range, out));
    }

    private static void copy(StoredFile file, ByteRange range, OutputStream out) throws IOException {
        try (FileChannel in = FileChannel.open(file.data(), StandardOpenOption.READ)) {
            WritableByteChannel target = Channels.newChannel(out);
            long position = range.first();
            long remaining = range.length();
            while (remaining > 0) {
                long sent = in.transferTo(position, remaining, target);
                if (sent == 0 && position >= in.size()) {
                    throw new IOException("Upload " + file.id() + " shrank while it was being sent");
                }
                position += sent;
                remaining -= sent;
            }
        }
    }
}
