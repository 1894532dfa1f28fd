package com.mediapipeline.upload;

import me.desair.tus.server.upload.UploadInfo;

/**
 * What the store tells the rest of the service about an upload's bytes, as they happen. Reports
 * about bytes carry the generation of the lease that wrote them: a report from an older lease
 * than one already heard of is stale and must not overwrite the newer one's.
 */
public interface UploadListener {

    /** The generation of reports about bytes that no lease wrote (a creation, a restoration). */
    long NO_LEASE = 0;

    /** A new upload, and the user who created it. */
    void created(UploadInfo info, String creator);

    /** Called for every block written; implementations throttle. */
    void progressed(UploadInfo info, long offset, long generation);

    /** The info's offset was stored durably (a PATCH ended, or stopped early), {@code received} bytes later. */
    void stored(UploadInfo info, long received, long generation);

    /**
     * Bytes reported while they streamed in were dropped (they failed their checksum), or the status
     * may lag behind what another request recorded: it must say the recorded offset at once.
     */
    void reverted(UploadInfo info, long generation);

    void failed(UploadInfo info, String reason, long generation);

    /** The upload and its files are gone, for a reason watchers are told ("deleted", "expired"). */
    void removed(String business, String uploadId, String reason);
}
