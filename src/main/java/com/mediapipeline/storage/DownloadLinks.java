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
     * A link to the file, valid for {@code expiresIn} (ISO-8601, at most the completed-upload
     * retention: no link outlives its file's retention); 400 for a bad lifetime or disposition, 404/409
     * for a file that is not there to link, 503 when links are off.
     */
    public SignedLinks.Signed create(UploadId id, String business, String expiresIn, String disposition) throws IOException {
        Duration lifetime = lifetime(expiresIn);
        String shown = disposition == null ? ATTACHMENT : disposition;
        if (!DISPOSITIONS.contains(shown)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "disposition is inline or attachment");
        }
        files.find(id, business);
        return links.sign(id.value(), Instant.now().plus(lifetime), shown);
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
