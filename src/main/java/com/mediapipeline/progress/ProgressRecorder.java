package com.mediapipeline.progress;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.redis.RedisUnavailableException;
import com.mediapipeline.upload.UploadListener;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import me.desair.tus.server.upload.UploadInfo;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Metric;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns the store's byte events into status writes and events: at most one per upload per
 * {@code mediapipeline.progress.interval-ms} while bytes stream in, the offset a PATCH ended at
 * written at the latest one interval later, and completion always at once.
 */
@ApplicationScoped
public class ProgressRecorder implements UploadListener {

    static final String INTERVAL_SETTING = "mediapipeline.progress.interval-ms";
    private static final Logger LOG = Logger.getLogger(ProgressRecorder.class.getName());

    @Inject
    @ConfigProperty(name = INTERVAL_SETTING, defaultValue = "250")
    long intervalMillis;

    @Inject
    ProgressStore store;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @Metric(name = "uploads.created", absolute = true, description = "Uploads created")
    Counter created;

    @Inject
    @Metric(name = "uploads.completed", absolute = true, description = "Uploads whose last byte was stored")
    Counter completed;

    @Inject
    @Metric(name = "uploads.failed", absolute = true, description = "Uploads whose bytes the disk refused")
    Counter failed;

    @Inject
    @Metric(name = "uploads.bytes.received", absolute = true, unit = MetricUnits.BYTES, description = "Upload bytes stored")
    Counter bytesReceived;

    private Throttle throttle;
    private final Map<String, Offset> trailing = new ConcurrentHashMap<>();

    /** An upload's position and the lease that wrote it, copied: UploadInfo objects change under us. */
    private record Offset(UploadFacts upload, long offset, long generation) {
    }

    @PostConstruct
    void validate() {
        InvalidSettingException.require(intervalMillis >= 1, INTERVAL_SETTING, "must be at least 1, was " + intervalMillis);
        throttle = new Throttle(intervalMillis);
    }

    @Override
    public void created(UploadInfo info, String creator) {
        UploadFacts upload = UploadFacts.of(info, creator);
        store.create(upload, Instant.now());
        created.inc();
        LOG.info(() -> "upload created id=" + upload.id() + " business=" + upload.business() + " user="
                + upload.username() + " size=" + upload.size());
        if (!info.isUploadInProgress()) {
            // an upload of zero bytes has all of them at creation
            completed.inc();
            store.complete(upload, Instant.now(), UploadListener.NO_LEASE);
        }
    }

    @Override
    public void progressed(UploadInfo info, long offset, long generation) {
        String id = info.getId().toString();
        if (throttle.waitMillis(id, System.currentTimeMillis()) == 0) {
            write(id, new Offset(UploadFacts.of(info), offset, generation));
        }
    }

    @Override
    public void stored(UploadInfo info, long received, long generation) {
        String id = info.getId().toString();
        bytesReceived.inc(Math.max(0, received));
        if (!info.isUploadInProgress()) {
            completed.inc();
            LOG.info(() -> "upload completed id=" + id + " business=" + info.getOwnerKey() + " size=" + info.getLength());
            throttle.forget(id);
            trailing.remove(id);
            guarded(id, () -> store.stored(UploadFacts.of(info), info.getLength(), true, Instant.now(), generation));
            return;
        }
        Offset now = new Offset(UploadFacts.of(info), info.getOffset(), generation);
        long wait = throttle.waitMillis(id, System.currentTimeMillis());
        if (wait == 0) {
            guarded(id, () -> store.stored(now.upload(), now.offset(), false, Instant.now(), now.generation()));
        } else if (trailing.put(id, now) == null) {
            scheduler.schedule(() -> flush(id), wait, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void reverted(UploadInfo info, long generation) {
        String id = info.getId().toString();
        trailing.remove(id);
        write(id, new Offset(UploadFacts.of(info), info.getOffset(), generation));
    }

    @Override
    public void failed(UploadInfo info, String reason, long generation) {
        String id = info.getId().toString();
        failed.inc();
        // a pending trailing write holds an offset from before the cut: written after the failure, it would undo it
        trailing.remove(id);
        LOG.warning(() -> "upload failed id=" + id + " business=" + info.getOwnerKey() + " reason=" + reason);
        guarded(id, () -> store.fail(UploadFacts.of(info), info.getOffset(), reason, Instant.now(), generation));
    }

    @Override
    public void removed(String business, String uploadId, String reason) {
        throttle.forget(uploadId);
        trailing.remove(uploadId);
        store.remove(business, uploadId, reason);
    }

    /** A PATCH that ended just before shutdown still gets its offset written. */
    @PreDestroy
    void flushAll() {
        trailing.keySet().forEach(id -> {
            Offset latest = trailing.remove(id);
            if (latest != null) {
                write(id, latest);
            }
        });
    }

    /** The trailing write, once the interval since the last write has passed. */
    private void flush(String id) {
        long wait = throttle.waitMillis(id, System.currentTimeMillis());
        if (wait > 0) {
            scheduler.schedule(() -> flush(id), wait, TimeUnit.MILLISECONDS);
            return;
        }
        Offset latest = trailing.remove(id);
        if (latest != null) {
            write(id, latest);
        }
    }

    private void write(String id, Offset offset) {
        guarded(id, () -> store.progress(offset.upload(), offset.offset(), Instant.now(), offset.generation()));
    }

    /**
     * The bytes matter more than the status: neither a Redis outage nor a fault in writing the status (a
     * hash of the wrong type, say) may break an upload. The status is mended by a later write or the
     * reconciliation once Redis takes writes again; a fault stays in the log (SEVERE) until someone mends it.
     */
    private static void guarded(String id, Runnable write) {
        try {
            write.run();
        } catch (RedisUnavailableException e) {
            LOG.warning("Status of upload " + id + " not recorded: " + e.getMessage());
        } catch (RuntimeException fault) {
            LOG.log(Level.SEVERE, "Status of upload " + id + " not recorded", fault);
        }
    }
}
