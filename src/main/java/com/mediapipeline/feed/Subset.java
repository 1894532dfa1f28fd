package com.mediapipeline.feed;

import com.mediapipeline.auth.Caller;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.progress.Relayed;
import com.mediapipeline.upload.UploadId;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** Which uploads of a business a feed follows: all of them, one user's, or the listed ids (null where not narrowed). */
record Subset(String business, String username, Set<String> ids) {

    static final int MAX_IDS = 500;

    static Subset all(String business) {
        return new Subset(business, null, null);
    }

    /** A subset as a client names it, checked: at most {@value #MAX_IDS} ids, each an upload id, and a username. */
    static Subset of(String business, String username, Collection<String> ids) {
        if (username != null && !Caller.isUsername(username)) {
            throw new ApiException(ErrorCode.INVALID_USERNAME, "username must be 1-128 characters of letters, digits and ._@-");
        }
        if (ids == null) {
            return new Subset(business, username, null);
        }
        if (ids.size() > MAX_IDS || !ids.stream().allMatch(UploadId::isValid)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "ids must be at most " + MAX_IDS + " upload ids");
        }
        return new Subset(business, username, new LinkedHashSet<>(ids));
    }

    boolean includes(Relayed relayed) {
        return business.equals(relayed.business()) && (username == null || username.equals(relayed.username()))
                && (ids == null || ids.contains(relayed.event().uploadId()));
    }
}
