package com.mediapipeline.progress;

import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.InvalidSettingException;
import com.mediapipeline.storage.UploadListener;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.upload.UploadInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.util.logging.Logger;

/**
 * Turns the store's byte events into status writes: at most one per upload per
 * {@code mediapipeline.progress.interval-ms} while bytes stream, and always one when a PATCH ends.
 */
@ApplicationScoped
public class ProgressRecorder implements UploadListener {

    static final String INTERVAL_SETTING = "mediapipeline.progress.interval-ms";
    private static final Logger LOG = Logger.getLogger(ProgressRecorder.class.getName());

    @Inject
    @ConfigProperty(name = INTERVAL_SETTING, defaultValue = "250")
    long intervalMillis;

    @Inject
    ProgressStore store;

    @Inject
    CurrentCaller caller;

    private Throttle throttle;

    @PostConstruct
    void validate() {
        InvalidSettingException.require(intervalMillis >= 1, INTERVAL_SETTING, "must be at least 1, was " + intervalMillis);
        throttle = new Throttle(intervalMillis);
    }

    @Override
    public void created(UploadInfo info) {
        String id = info.getId().toString();
        store.create(id, info.getOwnerKey(), caller.get().username(), info.getLength(),
                info.getMetadata().get("filename"), info.getMetadata().get("filetype"), Instant.now());
        if (!info.isUploadInProgress()) {
            store.complete(id, info.getLength(), Instant.now());
        }
    }

    @Override
    public void progressed(UploadInfo info, long offset) {
        String id = info.getId().toString();
        if (throttle.tryPass(id, System.currentTimeMillis())) {
            // the bytes matter more than the status: a Redis outage must not break the upload
            try {
                store.progress(id, offset, info.getLength(), Instant.now());
            } catch (ApiException e) {
                LOG.fine("Progress of " + id + " not recorded: " + e.getMessage());
            }
        }
    }

    @Override
    public void stored(UploadInfo info) {
        String id = info.getId().toString();
        try {
            if (info.isUploadInProgress()) {
                store.progress(id, info.getOffset(), info.getLength(), Instant.now());
            } else {
                throttle.forget(id);
                store.complete(id, info.getLength(), Instant.now());
            }
        } catch (ApiException e) {
            LOG.warning("Status of " + id + " not recorded: " + e.getMessage());
        }
    }

    @Override
    public void failed(UploadInfo info, String reason) {
        String id = info.getId().toString();
        try {
            store.fail(id, info.getOffset(), info.getLength(), reason, Instant.now());
        } catch (ApiException e) {
            LOG.warning("Failure of " + id + " not recorded: " + e.getMessage());
        }
    }

    @Override
    public void removed(String uploadId) {
        throttle.forget(uploadId);
        store.remove(uploadId);
    }
}
