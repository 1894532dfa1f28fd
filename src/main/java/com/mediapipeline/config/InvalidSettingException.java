package com.mediapipeline.config;

import java.util.logging.Logger;

/**
 * A setting with a value the service cannot run with. Thrown at start-up, it fails the deployment;
 * it logs one line naming the setting, since the container's own report buries it in a stack trace.
 */
public class InvalidSettingException extends IllegalStateException {

    private static final Logger LOG = Logger.getLogger(InvalidSettingException.class.getName());

    public InvalidSettingException(String setting, String problem) {
        super(setting + " " + problem);
        LOG.severe(getMessage());
    }

    public static void require(boolean valid, String setting, String problem) {
        if (!valid) {
            throw new InvalidSettingException(setting, problem);
        }
    }
}
