package com.mediapipeline.progress;

import me.desair.tus.server.upload.UploadInfo;

import java.time.Instant;

/** What identifies an upload in its status: written once, restored if Redis lost it. */
public record UploadFacts(String id, String business, String username, Long size, String filename,
                          String contentType, Instant createdAt) {

    public static UploadFacts of(UploadInfo info, String username) {
        return new UploadFacts(info.getId().toString(), info.getOwnerKey(), username, info.getLength(),
                info.getMetadata().get("filename"), info.getMetadata().get("filetype"),
                Instant.ofEpochMilli(info.getCreationTimestamp()));
    }
}
