package com.mediapipeline.health;

import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceProcess;
import com.mediapipeline.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad setting fails the deployment at start-up, with a line naming it, even when the component that
 * reads it would otherwise be created only by the first request that needs it (here the stream slots
 * of the first PATCH).
 */
class StartupChecksIT {

    private static final String SETTING = "mediapipeline.upload.max-concurrent-per-key";

    @Test
    void aBadSettingOfALazyComponentFailsTheDeployment() throws Exception {
        Path storage = Files.createDirectories(TestEnvironment.workDir().resolve("startup-checks"));
        try (ServiceProcess service = new ServiceProcess(storage, ServiceProcess.reservedPort(1), "-D" + SETTING + "=0")) {
            // the log of this port holds earlier tests' boots too: only what this boot wrote counts
            long earlier = Files.exists(service.log()) ? service.logLines().size() : 0;
            service.launch();
            Await.until(Duration.ofSeconds(180), "Payara Micro says it is ready (once its deployment succeeded or failed)",
                    () -> service.logLines().stream().skip(earlier).anyMatch(line -> line.contains(" ready in ")));
            assertTrue(service.logLines().stream().skip(earlier).anyMatch(line -> line.contains(SETTING + " must be at least 1")),
                    "the log names the bad setting");
            assertFalse(service.servesUploads(), "no uploads are served");
        }
    }
}
