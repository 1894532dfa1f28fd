package com.mediapipeline.progress;

import me.desair.tus.server.upload.UploadInfo;

import java.time.Instant;

/**
 * What identifies an upload in its status: written once, by its creation (the only time its creator is
 * known; later writes leave the identity as it is), or by a restoration if Redis lost it.
 */
public record UploadFacts(String id, String business, String username, Long size, String filename,
                          String contentType, Instant createdAt) {

    public static UploadFacts of(UploadInfo info, String creator) {
        return new UploadFacts(info.getId().toString(), info.getOwnerKey(), creator, info.getLength(),
                info.getMetadata().get("filename"), info.getMetadata().get("filetype"),
                Instant.ofEpochMilli(info.getCreationTimestamp()));
    }

    /** The facts after the creation: the creator is in the status already, or unknown since Redis lost it. */
    public static UploadFacts of(UploadInfo info) {
        return of(info, null);
    }
}
