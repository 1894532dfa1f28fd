package com.mediapipeline.storage;

import com.mediapipeline.auth.SignedLinks;
import com.mediapipeline.config.Retention;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/** Signed links to a business's completed files, for a browser or a CDN to fetch without its key. */
@ApplicationScoped
public class DownloadLinks {

    static final String ATTACHMENT = "attachment";
    private static final Set<String> DISPOSITIONS = Set.of("inline", ATTACHMENT);

    @Inject
    StoredFiles files;

    @Inject
    SignedLinks links;

    @Inject
    Retention retention;

    /**
     * A link to the file, valid for {@code expiresIn} (ISO-8601, PT1S to the completed-upload
     * retention) but never past the file's own removal, so that no cache keeps serving it after that;
     * 503 when links are off, 400 for a bad lifetime or disposition, 404/409 for a file not there to link.
     * {@code inline} is granted only to media a browser plays or shows without running it (video,
     * audio, raster images); any other file is linked as an attachment.
     */
    public SignedLinks.Signed create(UploadId id, String business, String expiresIn, String disposition) throws IOException {
        links.requireEnabled();
        Duration lifetime = lifetime(expiresIn);
        String asked = disposition == null ? ATTACHMENT : disposition;
        if (!DISPOSITIONS.contains(asked)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "disposition is inline or attachment");
        }
        StoredFile file = files.find(id, business);
        Instant removal = file.lastModified().plus(retention.completed());
        Instant expiry = Instant.now().plus(lifetime);
        return links.sign(id.value(), expiry.isBefore(removal) ? expiry : removal,
                showsSafely(file.contentType()) ? asked : ATTACHMENT);
    }

    private static boolean showsSafely(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("video/") || type.startsWith("audio/")
                || type.startsWith("image/") && !type.startsWith("image/svg");
    }

    private Duration lifetime(String expiresIn) {
        try {
            Duration lifetime = Duration.parse(expiresIn == null ? "" : expiresIn);
            if (lifetime.toSeconds() >= 1 && lifetime.compareTo(retention.completed()) <= 0) {
                return lifetime;
            }
        } catch (DateTimeParseException malformed) {
            // answered below
        }
        throw new ApiException(ErrorCode.BAD_REQUEST, "expires_in is an ISO-8601 duration from PT1S to " + retention.completed());
    }
}
