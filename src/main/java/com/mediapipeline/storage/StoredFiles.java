package com.mediapipeline.storage;

import com.mediapipeline.auth.SignedLinks;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.upload.UploadFileStore;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.exception.UploadNotFoundException;
import me.desair.tus.server.upload.UploadInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Completed uploads as files to read, and removal of an upload with everything kept about it. */
@ApplicationScoped
public class StoredFiles {

    @Inject
    UploadFileStore store;

    public StoredFile find(UploadId id, String business) throws IOException {
        return stored(id, owned(id, business));
    }

    /** The file a signed link grants: its signature, made for the file's owner, stands for the owner's key. */
    public StoredFile linked(SignedLinks.Grant link) throws IOException {
        UploadId id = UploadId.parse(link.fileId()).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND));
        UploadInfo info = store.info(id);
        if (info == null) {
            throw new ApiException(ErrorCode.NOT_FOUND);
        }
        return stored(id, info);
    }

    private StoredFile stored(UploadId id, UploadInfo info) throws IOException {
        if (info.isUploadInProgress()) {
            throw new ApiException(ErrorCode.UPLOAD_INCOMPLETE);
        }
        Path data = store.dataFile(id);
        if (data == null) {
            throw new ApiException(ErrorCode.NOT_FOUND);
        }
        String filename = info.getMetadata().get("filename");
        return new StoredFile(id.value(), data, info.getLength(), filename == null || filename.isBlank() ? id.value() : filename,
                DownloadHeaders.contentType(info.getMetadata().get("filetype")),
                Files.getLastModifiedTime(data).toInstant());
    }

    /** Bytes, TUS info and status go; a PATCH still streaming into it fails instead of re-creating it. */
    public void delete(UploadId id, String business) throws IOException {
        try {
            store.terminateUpload(owned(id, business));
        } catch (UploadNotFoundException e) {
            throw new ApiException(ErrorCode.NOT_FOUND);
        }
    }

    private UploadInfo owned(UploadId id, String business) throws IOException {
        UploadInfo info = store.info(id);
        // another business's upload is answered exactly like a missing one: existence does not leak
        if (info == null || !business.equals(info.getOwnerKey())) {
            throw new ApiException(ErrorCode.NOT_FOUND);
        }
        return info;
    }
}
