package com.mediapipeline.health;

import com.mediapipeline.upload.StorageFolder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.io.IOException;
import java.nio.file.Files;

/** Ready only while the storage folder is writable and has more free space than the threshold. */
@Readiness
@ApplicationScoped
public class StorageHealth implements HealthCheck {

    @Inject
    StorageFolder storage;

    @Inject
    @ConfigProperty(name = "mediapipeline.health.min-free-bytes", defaultValue = "1073741824")
    long minFreeBytes;

    @Override
    public HealthCheckResponse call() {
        long free;
        try {
            free = Files.getFileStore(storage.path()).getUsableSpace();
        } catch (IOException e) {
            free = -1;
        }
        boolean writable = Files.isWritable(storage.path());
        return HealthCheckResponse.named("storage")
                .status(writable && free >= minFreeBytes)
                .withData("writable", writable)
                .withData("free_bytes", free)
                .withData("min_free_bytes", minFreeBytes)
                .build();
    }
}
