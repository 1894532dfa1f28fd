/**
 * Cleanup: an EJB timer that, on one instance per interval, removes expired uploads (files, info,
 * status) and reconciles orphans between the storage folder and Redis.
 */
package com.mediapipeline.cleanup;
