package com.mediapipeline.redis;

import java.util.Optional;

/**
 * Every Redis key and channel the service uses.
 * <p>
 * A key that belongs to a business carries its name as the hash tag {@code {<business>}} ({@link #businessTag}),
 * so that on a Redis Cluster all of a business's keys live in one slot and a status write (the upload's
 * hash, its listing, analytics, event stream, expiry index and webhook records) stays one atomic script:
 * e.g. {@code uploads:{acme}}, {@code webhook:{acme}:<id>}, {@code webhooks:events:{acme}},
 * {@code delivery:{acme}:<id>}, {@code webhooks:due:{acme}}. The price: one business's keys live on one
 * master. Nothing holds keys of several businesses: an instance reads each business's stream and due set,
 * the businesses being the configured ones ({@code mediapipeline.api-keys}, whose names hold no braces).
 */
public final class RedisKeys {

    private RedisKeys() {
    }

    /** The one pub/sub channel of progress events of every upload; each instance subscribes once. */
    public static final String PROGRESS_CHANNEL = "progress";

    /** The prefix of every upload's status hash, {@code upload:{<business>}:<id>}. */
    public static final String UPLOADS = "upload:";

    /** Hash with an upload's status, offset, size, timestamps, owner and file metadata. */
    public static String upload(String business, String uploadId) {
        return UPLOADS + businessTag(business) + ":" + uploadId;
    }

    /** The business whose tag a key carries ({@code {<business>}}), if it carries one. */
    public static Optional<String> businessOf(String key) {
        int open = key.indexOf('{');
        int close = open < 0 ? -1 : key.indexOf('}', open);
        return close < 0 ? Optional.empty() : Optional.of(key.substring(open + 1, close));
    }

    /**
     * The prefix of the listing indexes of uploads: sorted sets of {@code <created ms, 13 digits>:<id>}, all
     * scored 0 so that they sort by creation time (lexically), one per business and filter:
     * {@code uploads:{<business>}[:user:<username>][:status:<status>]}. The status scripts build the same names
     * in Lua (UploadIndex.FUNCTIONS), in the slot of the upload's hash; business names and usernames hold no colon.
     */
    public static final String LISTINGS = "uploads:";

    /** The listing index of a business's uploads, of one user and in one status when those are not null. */
    public static String listing(String business, String username, String status) {
        return LISTINGS + businessTag(business) + (username == null ? "" : ":user:" + username) + (status == null ? "" : ":status:" + status);
    }

    /** Whether a listing index (a key that starts with {@link #LISTINGS}) is the one of all a business's uploads. */
    public static boolean listsAll(String listingKey) {
        return listingKey.indexOf(':', LISTINGS.length()) < 0;
    }

    /**
     * Stream of a business's progress events (fields: username, event), trimmed to the resume window:
     * what a follower that was away catches up on (its entry ids are the events' ids).
     */
    public static String events(String business) {
        return "events:" + businessTag(business);
    }

    /** A single-use WebSocket ticket: who may watch which upload, for 60 seconds. */
    public static String ticket(String ticket) {
        return "ticket:" + ticket;
    }

    /** The lock of the one request allowed to write to an upload, cluster-wide; it expires if its holder dies. */
    public static String uploadLock(String business, String uploadId) {
        return "lock:upload:" + businessTag(business) + ":" + uploadId;
    }

    /** The token bucket of one caller (an API key's hash, or an address for calls without a known key). */
    public static String rateLimit(String caller) {
        return "ratelimit:" + caller;
    }

    /** The PATCHes of one business streaming now, cluster-wide: slot ids scored by when they expire unless renewed. */
    public static String streams(String business) {
        return "streams:" + businessTag(business);
    }

    /** Sorted set of a business's open progress sockets (instance:session), scored with the end of each one's lease. */
    public static String webSockets(String business) {
        return "websockets:" + businessTag(business);
    }

    /** Marks a deleted upload for a while, so that a PATCH still streaming cannot bring its status back. */
    public static String deleted(String business, String uploadId) {
        return "deleted:" + businessTag(business) + ":" + uploadId;
    }

    /**
     * The hash tag of a business's keys. Redis Cluster hashes only what is between the first braces of a
     * key, so every key that carries it lies in one slot, and one script may touch them all. Business names
     * hold no braces (letters, digits and {@code ._-}), so the tag ends where the name does.
     */
    public static String businessTag(String business) {
        return "{" + business + "}";
    }

    /** A webhook endpoint: its business, url, events, secrets and whether it is disabled. */
    public static String webhook(String business, String webhookId) {
        return "webhook:" + businessTag(business) + ":" + webhookId;
    }

    /** Set of the ids of a business's webhook endpoints. */
    public static String webhooks(String business) {
        return "webhooks:" + businessTag(business);
    }

    /** Sorted set of an endpoint's deliveries not yet over (pending), by when they were created: its queue depth and age. */
    public static String pendingDeliveries(String business, String webhookId) {
        return "webhook:pending:" + businessTag(business) + ":" + webhookId;
    }

    /** Set of the event types some enabled endpoint of the business takes: status writes record only these. */
    public static String webhookTypes(String business) {
        return "webhooks:types:" + businessTag(business);
    }

    /**
     * The stream of a business's recorded events, written with the status change (so in the business's
     * slot); instances fan it out as a consumer group.
     */
    public static String webhookEvents(String business) {
        return "webhooks:events:" + businessTag(business);
    }

    /** The consumer group of every {@link #webhookEvents} stream (and of {@link #LEGACY_WEBHOOK_EVENTS}). */
    public static final String WEBHOOK_EVENTS_GROUP = "fan-out";

    /** Sorted set of an upload's recorded events not yet fanned out, by sequence: later ones wait for them. */
    public static String unsentEvents(String business, String uploadId) {
        return "webhooks:unsent:" + businessTag(business) + ":" + uploadId;
    }

    /** One event for one endpoint: its body, status, attempts and last outcome (the delivery log's entry). */
    public static String delivery(String business, String deliveryId) {
        return "delivery:" + businessTag(business) + ":" + deliveryId;
    }

    /**
     * Sorted set of the deliveries of one upload (or of pings, or replays) to one endpoint, by sequence: only
     * the first is due.
     */
    public static String deliveryQueue(String business, String webhookId, String queue) {
        return "webhook:queue:" + businessTag(business) + ":" + webhookId + ":" + queue;
    }

    /** Sorted set of a business's deliveries to attempt, by when; one being attempted is scored with the end of its lease. */
    public static String deliveriesDue(String business) {
        return "webhooks:due:" + businessTag(business);
    }

    /** Sorted set of an endpoint's deliveries by creation time: its delivery log. */
    public static String deliveryLog(String business, String webhookId) {
        return "webhook:log:" + businessTag(business) + ":" + webhookId;
    }

    /**
     * The one stream of every business's events that versions before the per-business streams wrote (with
     * the group {@link #WEBHOOK_EVENTS_GROUP}): drained, then deleted, once no such instance runs.
     */
    public static final String LEGACY_WEBHOOK_EVENTS = "webhooks:events";

    /** An upload's unsent events as versions before the business tags named them, beside {@link #LEGACY_WEBHOOK_EVENTS}. */
    public static String legacyUnsentEvents(String uploadId) {
        return "webhooks:unsent:" + uploadId;
    }

    /** A webhook endpoint as versions before the business tags stored it: copied once into {@link #webhook}. */
    public static String legacyWebhook(String webhookId) {
        return "webhook:" + webhookId;
    }

    /** The set of a business's endpoint ids as versions before the business tags kept it. */
    public static String legacyWebhooks(String business) {
        return "webhooks:" + business;
    }

    /** Hash of a business's analytics counters and histogram buckets for the hour starting at {@code hour} (epoch seconds). */
    public static String analytics(String business, long hour) {
        return ANALYTICS + businessTag(business) + ":" + hour;
    }

    /** The prefix of every analytics key. */
    static final String ANALYTICS = "analytics:";

    /** HyperLogLog of the usernames active in a business's hour. */
    public static String analyticsUsers(String business, long hour) {
        return analytics(business, hour) + ":users";
    }

    /** Sorted set of the bytes each user of a business sent in the hour, for the top users. */
    public static String analyticsBytes(String business, long hour) {
        return analytics(business, hour) + ":bytes";
    }

    /** The prefix of {@link #analyticsOfUser}, for the status scripts, which learn the username from the upload's hash. */
    public static String analyticsUserPrefix(String business, long hour) {
        return analytics(business, hour) + ":user:";
    }

    /** Hash of one user's analytics counters in a business's hour, as {@link #analytics}. */
    public static String analyticsOfUser(String business, long hour, String username) {
        return analyticsUserPrefix(business, hour) + username;
    }

    /** Held by the instance running the current cleanup sweep. */
    public static final String SWEEP_LOCK = "lock:cleanup-sweep";

    /**
     * Sorted set of a business's upload ids, each scored with when it becomes due for removal (epoch ms);
     * the status scripts keep it with the hash, so that a cleanup sweep reads only the uploads due.
     */
    public static String expiries(String business) {
        return "expiries:" + businessTag(business);
    }

    /** Hash of where the cleanup's reconciliation, done a slice per sweep, goes on: folder slice and key scan cursors. */
    public static final String RECONCILIATION = "cleanup:reconciliation";
}
