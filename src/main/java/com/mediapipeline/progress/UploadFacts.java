package com.mediapipeline.progress;

import com.mediapipeline.upload.OwnedUploadInfo;
import me.desair.tus.server.upload.UploadInfo;

import java.time.Instant;

/** What identifies an upload in its status: written once, restored if Redis lost it. */
public record UploadFacts(String id, String business, String username, Long size, String filename,
                          String contentType, Instant createdAt) {

    public static UploadFacts of(UploadInfo info) {
        return new UploadFacts(info.getId().toString(), info.getOwnerKey(), OwnedUploadInfo.creatorOf(info), info.getLength(),
                info.getMetadata().get("filename"), info.getMetadata().get("filetype"),
                Instant.ofEpochMilli(info.getCreationTimestamp()));
    }
}
