package com.mediapipeline.upload;

import com.mediapipeline.errors.InvalidSettingException;
import com.mediapipeline.storage.Retention;
import com.mediapipeline.storage.UploadFileStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import me.desair.tus.server.TusFileUploadService;
import org.eclipse.microprofile.config.inject.ConfigProperty;


/** tus-java-server, configured: our ids, store, locks, PATCH, checksums, creation-with-upload and concatenation. */
@ApplicationScoped
class TusServiceProducer {

    static final String MAX_SIZE_SETTING = "mediapipeline.upload.max-size";

    @Inject
    @ConfigProperty(name = MAX_SIZE_SETTING, defaultValue = "0")
    long maxSize;

    @Inject
    @ConfigProperty(name = Concatenation.MAX_PARTS_SETTING, defaultValue = "100")
    int maxParts;

    @Inject
    Retention retention;

    @Inject
    UploadFileStore store;

    @Inject
    UploadLocks locks;

    private TusFileUploadService tus;

    /** Built at start-up: the upload URI needs the context path, and bad settings must stop the deployment. */
    void start(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        tus = build(context.getContextPath());
    }

    @Produces
    TusFileUploadService tus() {
        return tus;
    }

    private TusFileUploadService build(String contextPath) {
        InvalidSettingException.require(maxSize >= 0, MAX_SIZE_SETTING,
                "must be 0 (no limit) or a positive number of bytes, was " + maxSize);
        InvalidSettingException.require(maxParts >= 1, Concatenation.MAX_PARTS_SETTING, "must be at least 1, was " + maxParts);
        TusFileUploadService tus = new TusFileUploadService()
                .withUploadIdFactory(new UploadIds())
                .withUploadUri(contextPath + TusRequest.ROOT + "/?")
                .withUploadStorageService(store)
                .withUploadLockingService(new HeldLocks(locks))
                .withUploadExpirationPeriod(retention.incomplete().toMillis())
                .addTusExtension(new UploadCore())
                .addTusExtension(new Checksums())
                .addTusExtension(new CreationWithUpload(locks))
                .addTusExtension(new Concatenation(locks, maxParts, maxSize));
        if (maxSize > 0) {
            tus.withMaxUploadSize(maxSize);
        }
        return tus;
    }
}
