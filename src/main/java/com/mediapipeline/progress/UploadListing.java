package com.mediapipeline.progress;

import com.mediapipeline.auth.Caller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.redis.RedisKeys;
import com.mediapipeline.upload.UploadId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A business's uploads, newest first, a page at a time. The cursor names the last upload of a page by its
 * place in the index (creation time, id), so a page starts right after it whatever was created or removed
 * in between: no upload that exists throughout is shown twice or skipped.
 */
@ApplicationScoped
public class UploadListing {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** Index reads one page makes at most while it skips entries whose upload just went: then it comes back short, with a cursor. */
    private static final int MAX_READS = 4;

    @Inject
    UploadIndex index;

    @Inject
    ProgressStore statuses;

    public Page page(String business, Query query) {
        String key = RedisKeys.listing(business, query.username(), query.status());
        String after = query.after();
        List<UploadStatus> uploads = new ArrayList<>();
        boolean more = true;
        for (int reads = 0; more && uploads.size() < query.limit() && reads < MAX_READS; reads++) {
            int wanted = query.limit() - uploads.size();
            List<String> members = index.newest(key, after, wanted);
            more = members.size() == wanted;
            if (!members.isEmpty()) {
                after = members.get(members.size() - 1);
            }
            Set<UploadId> ids = members.stream().map(UploadIndex::idOf).map(UploadId::parse).flatMap(Optional::stream).collect(Collectors.toCollection(LinkedHashSet::new));
            // the hash decides: an index entry can lag behind it (see UploadIndex)
            statuses.findAll(ids, business).values().stream().flatMap(Optional::stream).filter(query::matches).forEach(uploads::add);
        }
        return new Page(uploads, more ? cursor(after) : null);
    }

    private static String cursor(String member) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(member.getBytes(StandardCharsets.UTF_8));
    }

    /** A request for a page: its filters (null for none), size and the cursor's position (null for the newest). */
    public record Query(String status, String username, int limit, String after) {

        boolean matches(UploadStatus upload) {
            return (status == null || status.equals(upload.status())) && (username == null || username.equals(upload.username()));
        }

        /** The query parameters as a client sent them, checked. */
        public static Query of(String status, String username, String limit, String cursor) {
            if (status != null && !UploadStatus.ALL.contains(status)) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "status must be one of " + String.join(", ", UploadStatus.ALL));
            }
            if (username != null && !Caller.isUsername(username)) {
                throw new ApiException(ErrorCode.INVALID_USERNAME, "username must be 1-128 characters of letters, digits and ._@-");
            }
            return new Query(status, username, limit(limit), after(cursor));
        }

        private static int limit(String text) {
            if (text == null) {
                return DEFAULT_LIMIT;
            }
            try {
                int limit = Integer.parseInt(text);
                if (limit >= 1 && limit <= MAX_LIMIT) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below, like a number out of range
            }
            throw new ApiException(ErrorCode.BAD_REQUEST, "limit must be a whole number from 1 to " + MAX_LIMIT);
        }

        private static String after(String cursor) {
            if (cursor == null || cursor.isEmpty()) {
                return null;
            }
            try {
                String member = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (UploadIndex.isMember(member)) {
                    return member;
                }
            } catch (IllegalArgumentException e) {
                // not base64: answered below, like any cursor this service did not give
            }
            throw new ApiException(ErrorCode.BAD_REQUEST, "cursor is not one this service gave");
        }
    }

    /** {@code {"uploads": [status, ...], "next_cursor": "..." | null}}. */
    public record Page(List<UploadStatus> uploads, String nextCursor) {
    }
}
