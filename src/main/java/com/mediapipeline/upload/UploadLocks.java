package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One writer per upload at a time; a second one is refused at once (423) rather than queued. */
@ApplicationScoped
public class UploadLocks {

    private final Set<String> writing = ConcurrentHashMap.newKeySet();

    /** A lock that closes without checked exceptions. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public Held lock(String uploadId) {
        if (!writing.add(uploadId)) {
            throw new ApiException(ErrorCode.LOCKED);
        }
        return () -> writing.remove(uploadId);
    }

    public boolean isLocked(String uploadId) {
        return writing.contains(uploadId);
    }
}
