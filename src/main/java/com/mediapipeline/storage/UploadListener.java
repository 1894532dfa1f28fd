package com.mediapipeline.storage;

import me.desair.tus.server.upload.UploadInfo;

/** What the store tells the rest of the service about an upload's bytes, as they happen. */
public interface UploadListener {

    void created(UploadInfo info);

    /** Called for every block written; implementations throttle. */
    void progressed(UploadInfo info, long offset);

    /** The info's offset was stored durably (a PATCH ended, or stopped early), {@code received} bytes later. */
    void stored(UploadInfo info, long received);

    void failed(UploadInfo info, String reason);

    /** The upload and its files are gone, for a reason watchers are told ("deleted", "expired"). */
    void removed(String uploadId, String reason);
}
