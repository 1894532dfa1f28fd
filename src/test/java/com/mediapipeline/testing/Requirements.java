package com.mediapipeline.testing;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/** Tools a test needs from the machine: missing ones skip the test locally, but fail it in CI. */
public final class Requirements {

    private Requirements() {
    }

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        String message = what + " is not installed (.ci/run installs it with apt-get)";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + ": CI must run this test, not skip it");
        }
        Assumptions.abort(message + ": skipped");
    }
}
