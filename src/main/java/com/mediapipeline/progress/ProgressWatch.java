package com.mediapipeline.progress;

import com.mediapipeline.auth.Authentication;
import com.mediapipeline.auth.Caller;
import com.mediapipeline.redis.RedisUnavailableException;
import com.mediapipeline.upload.UploadId;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens a watch: authenticate (4401), take one of the business's socket slots (4429), find the
 * upload of the caller's business (4404), join the registry, then send the current state, so that a
 * late joiner sees where the upload is at once. Every close waits for the {@link Handover}.
 */
@ApplicationScoped
public class ProgressWatch {

    public static final CloseReason UNAUTHORIZED = new CloseReason(CloseReason.CloseCodes.getCloseCode(4401), "unauthorized");
    public static final CloseReason NOT_FOUND = new CloseReason(CloseReason.CloseCodes.getCloseCode(4404), "no such upload");
    public static final CloseReason UNAVAILABLE = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "redis unavailable");
    public static final CloseReason STORAGE_FAILED = new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "storage failed");
    public static final CloseReason TOO_MANY = new CloseReason(CloseReason.CloseCodes.getCloseCode(4429), "too many sockets");
    private static final Logger LOG = Logger.getLogger(ProgressWatch.class.getName());

    @Inject
    Authentication authentication;

    @Inject
    StatusLookup statuses;

    @Inject
    SocketRegistry registry;

    @Inject
    SocketSlots slots;

    @Resource
    ManagedScheduledExecutorService scheduler;

    void start(Session session, String path, HandshakeCredentials.Credentials credentials) {
        Handover.begin(session, scheduler);
        try {
            Optional<Caller> caller = authenticate(credentials, path);
            if (caller.isEmpty()) {
                close(session, UNAUTHORIZED);
                return;
            }
            Optional<UploadId> uploadId = UploadId.parse(path);
            if (uploadId.isEmpty()) {
                close(session, NOT_FOUND);
                return;
            }
            if (!slots.take(caller.get().business(), session.getId())) {
                close(session, TOO_MANY);
                return;
            }
            // join before reading the state: an event published in between is then not missed
            ProgressSocket socket = registry.add(uploadId.get().value(), session);
            Optional<UploadStatus> now = statuses.find(uploadId.get(), caller.get().business());
            if (now.isEmpty()) {
                registry.remove(session);
                close(session, NOT_FOUND);
                return;
            }
            socket.offer(ProgressEvent.of(now.get()));
        } catch (RedisUnavailableException e) {
            registry.remove(session);
            close(session, UNAVAILABLE);
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "Could not read the info of upload " + path, e);
            registry.remove(session);
            close(session, STORAGE_FAILED);
        }
    }

    /** The client answered the ping of {@link #start}: the container has handed its connection over. */
    void answered(Session session) {
        Handover.of(session).answered();
    }

    void stop(Session session) {
        registry.remove(session);
        Handover.of(session).ended();
        try {
            slots.release(session.getId());
        } catch (RedisUnavailableException e) {
            LOG.warning("Could not release a socket slot; it passes when its lease ends: " + e.getMessage());
        }
    }

    private Optional<Caller> authenticate(HandshakeCredentials.Credentials credentials, String uploadId) {
        return credentials == null ? Optional.empty()
                : authentication.ofHandshake(credentials.apiKey(), credentials.username(), credentials.ticket(), uploadId);
    }

    private static void close(Session session, CloseReason reason) {
        Handover.of(session).close(reason);
    }
}
