package com.mediapipeline.upload;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.config.Retention;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import me.desair.tus.server.HttpMethod;
import me.desair.tus.server.TusFileUploadService;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.util.TusServletRequest;
import me.desair.tus.server.util.TusServletResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;


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

    @Inject
    CreationHook hook;

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
        TusFileUploadService tus = new TusFileUploadService() {
            @Override
            protected void processTusException(HttpMethod method, TusServletRequest request, TusServletResponse response,
                                               String ownerKey, TusException exception) throws IOException {
                TusErrors.remember(request, exception);
                super.processTusException(method, request, response, ownerKey, exception);
            }
        }.withUploadIdFactory(new CanonicalIds())
                .withUploadUri(contextPath + TusRequest.ROOT + "/?")
                .withUploadStorageService(store)
                .withUploadLockingService(new HeldLocks())
                .withUploadExpirationPeriod(retention.incomplete().toMillis())
                .addTusExtension(new UploadCore())
                .addTusExtension(new Checksums())
                .addTusExtension(new CreationWithUpload(locks, hook))
                .addTusExtension(new Concatenation(locks, maxParts, maxSize));
        if (maxSize > 0) {
            tus.withMaxUploadSize(maxSize);
        }
        return tus;
    }
}
