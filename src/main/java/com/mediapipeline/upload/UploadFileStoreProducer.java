package com.mediapipeline.upload;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

@ApplicationScoped
class UploadFileStoreProducer {

    @Produces
    @Singleton
    UploadFileStore store(StorageFolder folder, UploadListener listener, WriteGuard guard) {
        return new UploadFileStore(folder.path(), folder.writes(), listener, guard);
    }
}
