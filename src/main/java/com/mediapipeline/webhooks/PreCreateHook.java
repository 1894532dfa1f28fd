package com.mediapipeline.webhooks;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.RetryLaterException;
import com.mediapipeline.outbound.HookSender;
import com.mediapipeline.outbound.Signatures;
import com.mediapipeline.upload.CreationHook;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * The blocking pre-create hook: when {@code mediapipeline.hooks.pre-create-url} is set, every
 * creation (TUS and IETF) is first POSTed there, signed with {@code mediapipeline.hooks.secret}, and
 * the answer ({@link PreCreateVerdict}) accepts it, gives it other metadata, or refuses it (403
 * {@code rejected}). A hook that cannot decide in {@code mediapipeline.hooks.timeout} refuses it too
 * (503 {@code hook_unavailable}), unless {@code mediapipeline.hooks.fail-open} lets it through.
 * The URL is set by ops, not by a business, so it may well be internal: it is not held to the
 * destinations webhooks may reach.
 */
@ApplicationScoped
public class PreCreateHook implements CreationHook {

    static final String URL_SETTING = "mediapipeline.hooks.pre-create-url";
    static final String SECRET_SETTING = "mediapipeline.hooks.secret";
    static final String TIMEOUT_SETTING = "mediapipeline.hooks.timeout";
    static final String FAIL_OPEN_SETTING = "mediapipeline.hooks.fail-open";
    static final String TYPE = "upload.pre-create";
    private static final Logger LOG = Logger.getLogger(PreCreateHook.class.getName());

    @Inject
    @ConfigProperty(name = URL_SETTING)
    Optional<String> url;

    @Inject
    @ConfigProperty(name = SECRET_SETTING)
    Optional<String> secret;

    @Inject
    @ConfigProperty(name = TIMEOUT_SETTING, defaultValue = "PT5S")
    Duration timeout;

    @Inject
    @ConfigProperty(name = FAIL_OPEN_SETTING, defaultValue = "false")
    boolean failOpen;

    @Inject
    HookSender sender;

    /** Creations waiting for the hook at once, on this instance: the rest of the request threads serve everything else. */
    static final int MOST_WAITING = 64;
    /** ... and per business, so that one business's burst leaves the others room. */
    static final int MOST_WAITING_PER_BUSINESS = 16;
    /** How soon a client refused for a hook that is down or busy is told to try again. */
    static final long RETRY_AFTER_SECONDS = 5;

    private final Semaphore waiting = new Semaphore(MOST_WAITING);
    private final PerKeyLimit waitingPerBusiness = new PerKeyLimit(MOST_WAITING_PER_BUSINESS);
    private URI destination;

    @PostConstruct
    void validate() {
        if (url.filter(text -> !text.isBlank()).isEmpty()) {
            return;
        }
        destination = parse(url.get().trim());
        InvalidSettingException.require(secret.filter(Signatures::valid).isPresent(), SECRET_SETTING,
                "must be a whsec_<base64> secret of at least 24 bytes when " + URL_SETTING + " is set");
        InvalidSettingException.require(timeout.toMillis() >= 100, TIMEOUT_SETTING, "must be at least 100 ms, was " + timeout);
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException malformed) {
            // refused below, as any other URL that is not an absolute http(s) one
        }
        throw new InvalidSettingException(URL_SETTING, "must be an absolute http(s) URL, was " + url);
    }

    @Override
    public Optional<String> admit(Creation creation) {
        if (destination == null) {
            return Optional.empty();
        }
        if (!waiting.tryAcquire()) {
            throw unavailable("The pre-create hook is busy; retry shortly");
        }
        try {
            if (!waitingPerBusiness.tryTake(creation.business())) {
                throw unavailable("The pre-create hook is busy with this business's creations; retry shortly");
            }
            try {
                return ask(creation);
            } finally {
                waitingPerBusiness.release(creation.business());
            }
        } finally {
            waiting.release();
        }
    }

    /**
     * The hook's decision. Without one, fail-open lets the creation through only when the hook gave no
     * answer (none in time, a 3xx or a 5xx): a 2xx that cannot be understood may be a refusal, or
     * metadata the creation must not go without.
     */
    private Optional<String> ask(Creation creation) {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        HookSender.Reply reply = sender.post(destination, id, payload(creation, Instant.now()), List.of(secret.get()), timeout);
        PreCreateVerdict verdict = PreCreateVerdict.of(reply);
        return switch (verdict.outcome()) {
            case ACCEPT -> verdict.metadata();
            case REJECT -> throw new ApiException(ErrorCode.REJECTED, verdict.message());
            case UNDECIDED -> {
                boolean open = failOpen && !reply.success();
                LOG.warning(() -> "No decision from the pre-create hook on " + id + " (status " + reply.status()
                        + (reply.error() == null ? "" : ", " + reply.error()) + ", " + reply.latencyMillis() + " ms), "
                        + (open ? "accepted as " + FAIL_OPEN_SETTING + " says" : "answered 503") + ": " + verdict.message());
                if (!open) {
                    throw unavailable(verdict.message());
                }
                yield Optional.empty();
            }
        };
    }

    private static RetryLaterException unavailable(String message) {
        return new RetryLaterException(ErrorCode.HOOK_UNAVAILABLE, message, RETRY_AFTER_SECONDS);
    }

    /** {@code {"type", "timestamp", "data": {"business", "username", "size", "metadata", "protocol"}}}. */
    static String payload(Creation creation, Instant now) {
        JsonObjectBuilder metadata = Json.createObjectBuilder();
        creation.metadata().forEach(metadata::add);
        JsonObjectBuilder data = Json.createObjectBuilder().add("business", creation.business()).add("username", creation.username());
        if (creation.size() == null) {
            data.addNull("size");
        } else {
            data.add("size", creation.size());
        }
        data.add("metadata", metadata).add("protocol", creation.ietf() ? "ietf" : "tus");
        return Json.createObjectBuilder().add("type", TYPE).add("timestamp", now.toString()).add("data", data).build().toString();
    }
}
