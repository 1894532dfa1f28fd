package com.mediapipeline.progress;

import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.UploadType;

import java.time.Instant;

/**
 * What identifies an upload in its status: written once, by its creation (the only time its creator is
 * known; later writes leave the identity as it is), or by a restoration if Redis lost it. An upload
 * {@code assembled} from partial uploads (a concatenation's final) received no bytes of its own.
 */
public record UploadFacts(String id, String business, String username, Long size, String filename,
                          String contentType, Instant createdAt, boolean assembled) {

    public static UploadFacts of(UploadInfo info, String creator) {
        return new UploadFacts(info.getId().toString(), info.getOwnerKey(), creator, info.getLength(),
                info.getMetadata().get("filename"), info.getMetadata().get("filetype"),
                Instant.ofEpochMilli(info.getCreationTimestamp()), UploadType.CONCATENATED.equals(info.getUploadType()));
    }

    /** The facts after the creation: the creator is in the status already, or unknown since Redis lost it. */
    public static UploadFacts of(UploadInfo info) {
        return of(info, null);
    }
}
