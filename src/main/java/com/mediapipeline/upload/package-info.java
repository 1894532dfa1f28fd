/**
 * Upload: the TUS 1.0.0 protocol at {@code /api/v1/uploads/}, on tus-java-server, with the checks,
 * locking, creation-with-upload and JSON errors that its 1.0.0-3.0 release lacks.
 */
package com.mediapipeline.upload;
