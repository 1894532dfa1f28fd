package com.mediapipeline.upload;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.redis.RedisDataFolder;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/** The folder that holds upload bytes, TUS info files and the embedded Redis' data. */
@ApplicationScoped
public class StorageFolder {

    static final String SETTING = "mediapipeline.storage.dir";
    private static final Logger LOG = Logger.getLogger(StorageFolder.class.getName());

    @Inject
    @ConfigProperty(name = SETTING, defaultValue = "media-pipeline-data")
    String dir;

    @Inject
    @ConfigProperty(name = "mediapipeline.storage.direct-io", defaultValue = "true")
    boolean directIo;

    /** Container-made threads for the block writes, one per block on its way to the disk; idle ones end after a minute. */
    @Resource
    ManagedThreadFactory threads;

    private Path path;
    private ExecutorService writerThreads;
    private DiskWrites writes;

    @PostConstruct
    void prepare() {
        path = Paths.get(dir).toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw invalid("cannot be created: " + e.getMessage());
        }
        if (!Files.isWritable(path)) {
            throw invalid("is not writable");
        }
        writerThreads = Executors.newCachedThreadPool(threads);
        try {
            writes = DiskWrites.forFolder(path, directIo, writerThreads);
        } catch (IOException e) {
            throw invalid("cannot be written: " + e.getMessage());
        }
        LOG.info("Storing uploads in " + path + (writes.direct() ? " with direct I/O" : " through the page cache"));
    }

    @PreDestroy
    void stop() {
        writerThreads.shutdown();
    }

    public Path path() {
        return path;
    }

    /** The embedded Redis keeps its data beside the uploads: one volume holds all of the service's state. */
    @Produces
    @RedisDataFolder
    Path redisData() {
        return path.resolve("redis");
    }

    /** How upload bytes are written to this folder's disk. */
    public DiskWrites writes() {
        return writes;
    }

    private InvalidSettingException invalid(String problem) {
        return new InvalidSettingException(SETTING, "'" + path + "' " + problem);
    }
}
