package com.mediapipeline.progress;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Gauge;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The open progress sockets of this instance, by upload id. Thread-safe; a closed or broken socket
 * leaves at once and is never written to again. Idle sockets are pinged so that proxies keep them.
 */
@ApplicationScoped
public class SocketRegistry {

    public static final long PING_SECONDS = 25;
    private static final String UPLOAD_ID = "mediapipeline.upload-id";
    private static final Logger LOG = Logger.getLogger(SocketRegistry.class.getName());

    private final Map<String, Set<ProgressSocket>> byUpload = new ConcurrentHashMap<>();
    private final Map<Session, ProgressSocket> bySession = new ConcurrentHashMap<>();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    SocketSlots slots;

    private ScheduledFuture<?> pings;

    @PostConstruct
    void startPings() {
        pings = scheduler.scheduleAtFixedRate(this::keepAlive, PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
    }

    private void keepAlive() {
        bySession.values().forEach(ProgressSocket::ping);
        try {
            slots.renew();
        } catch (RuntimeException e) {
            // a failure must not end the schedule: the next renewal comes well before the leases end
            LOG.warning("Could not renew the socket slots: " + e);
        }
    }

    @PreDestroy
    void stopPings() {
        pings.cancel(false);
    }

    ProgressSocket add(String uploadId, Session session) {
        ProgressSocket socket = new ProgressSocket(session, gone -> remove(gone.session()));
        bySession.put(session, socket);
        byUpload.computeIfAbsent(uploadId, id -> ConcurrentHashMap.newKeySet()).add(socket);
        session.getUserProperties().put(UPLOAD_ID, uploadId);
        return socket;
    }

    void remove(Session session) {
        ProgressSocket socket = bySession.remove(session);
        Object uploadId = session.getUserProperties().get(UPLOAD_ID);
        if (socket != null && uploadId != null) {
            byUpload.computeIfPresent((String) uploadId, (id, sockets) -> {
                sockets.remove(socket);
                return sockets.isEmpty() ? null : sockets;
            });
        }
    }

    @Gauge(name = "websockets.open", absolute = true, unit = MetricUnits.NONE, description = "Progress sockets open on this instance")
    public int openSockets() {
        return bySession.size();
    }

    /** Hands an event to every socket watching its upload on this instance. */
    public void deliver(ProgressEvent event) {
        Set<ProgressSocket> sockets = byUpload.get(event.uploadId());
        if (sockets != null) {
            sockets.forEach(socket -> socket.offer(event));
        }
    }
}
