package com.mediapipeline.upload;

import com.mediapipeline.config.Retention;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.upload.UploadInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The IETF draft's {@code Upload-Limit}: the maximum size ({@code upload.max-size}) and how long an
 * unfinished upload lives ({@code retention.incomplete}, counted from its last write).
 */
@ApplicationScoped
class UploadLimits {

    @Inject
    @ConfigProperty(name = TusServiceProducer.MAX_SIZE_SETTING, defaultValue = "0")
    long maxSize;

    @Inject
    Retention retention;

    /**
     * @param version the interop version: 6 names the lifetime {@code expires}, later ones {@code max-age}
     * @param upload  the upload it is about, whose own expiry counts; null for one not yet made
     */
    String header(int version, UploadInfo upload, long now) {
        List<String> limits = new ArrayList<>();
        if (maxSize > 0) {
            limits.add("max-size=" + maxSize);
        }
        long seconds = retention.incomplete().toSeconds();
        if (upload != null && upload.getExpirationTimestamp() != null) {
            seconds = Math.max(0, (upload.getExpirationTimestamp() - now) / 1000);
        }
        if (upload == null || upload.isUploadInProgress()) {
            limits.add((version == 6 ? "expires=" : "max-age=") + seconds);
        }
        return limits.isEmpty() ? "min-size=0" : String.join(", ", limits);
    }
}
