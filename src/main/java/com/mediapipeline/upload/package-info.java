/**
 * Upload: the TUS 1.0.0 protocol at {@code /api/v1/uploads/} on tus-java-server (the Tus* classes and
 * the library's plug-ins), and beneath it the write path: the upload store on disk, its direct-I/O
 * writer, the fence and the locks that let only one writer touch an upload.
 */
package com.mediapipeline.upload;
