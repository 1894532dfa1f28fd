package com.mediapipeline.errors;

/**
 * Every error the API answers with: HTTP status, machine code, default message. A failure maps to its
 * code by what it is (the code thrown, its exception's type); only the container's own error pages,
 * which say no more than a status, map by status.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "bad_request", "The request is malformed"),
    INVALID_USERNAME(400, "invalid_username", "X-Username must be 1-128 characters of letters, digits and ._@-"),
    INVALID_TOKEN(400, "invalid_token", "The upload id is malformed"),
    INVALID_CHECKSUM(400, "invalid_checksum", "Upload-Checksum must be '<algorithm> <base64 digest>'"),
    INCONSISTENT_LENGTH(400, "inconsistent_length", "The request's length disagrees with the upload's"),
    COMPLETED_UPLOAD(400, "completed_upload", "The upload is complete: nothing more can be appended"),
    UNSUPPORTED_INTEROP_VERSION(400, "unsupported_interop_version", "Upload-Draft-Interop-Version must be 6 or 8"),
    BODY_INCOMPLETE(400, "body_incomplete",
            "The body stopped before its end (dropped, or silent for the idle timeout); the bytes received are kept: ask HEAD and resume"),
    INVALID_WEBHOOK(400, "invalid_webhook", "A webhook needs a url and a list of known events"),
    INVALID_WEBHOOK_URL(400, "invalid_webhook_url", "The webhook url is not one webhooks may be sent to"),
    INVALID_ANALYTICS_QUERY(400, "invalid_query", "from and to must be ISO-8601 instants within the retention, interval PT1H or P1D"),
    UNAUTHORIZED(401, "unauthorized", "A valid X-API-KEY header is required"),
    LINK_INVALID(403, "link_invalid", "The link is not one this service signed, or a part of it was changed"),
    LINK_EXPIRED(403, "link_expired", "The link has expired"),
    FINAL_UPLOAD_NOT_PATCHABLE(403, "final_upload_not_patchable", "A final upload is assembled from its partial uploads; it takes no PATCH"),
    REJECTED(403, "rejected", "The pre-create hook refused the upload"),
    NOT_FOUND(404, "not_found", "No such upload"),
    WEBHOOK_NOT_FOUND(404, "not_found", "No such webhook"),
    DELIVERY_NOT_FOUND(404, "not_found", "No such delivery"),
    ROUTE_NOT_FOUND(404, "not_found", "No such resource"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "This method is not allowed here"),
    NOT_ACCEPTABLE(406, "not_acceptable", "The requested representation is not available"),
    UPLOAD_INCOMPLETE(409, "upload_incomplete", "The upload is not complete yet"),
    DELIVERY_PENDING(409, "delivery_pending", "The delivery is still pending; it is retried on its schedule"),
    OFFSET_MISMATCH(409, "offset_mismatch", "Upload-Offset does not match the stored offset"),
    GONE(410, "gone", "The upload was deleted or has expired"),
    PRECONDITION_FAILED(412, "precondition_failed", "The file does not match the request's If-Match or If-Unmodified-Since"),
    UNSUPPORTED_VERSION(412, "unsupported_version", "Tus-Resumable must be 1.0.0"),
    INVALID_PARTIAL_UPLOAD(412, "invalid_partial_upload", "Upload-Concat names an upload that is not a partial upload of this server"),
    TOO_LARGE(413, "too_large", "The upload exceeds the maximum size"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "PATCH requires Content-Type: application/offset+octet-stream"),
    RANGE_NOT_SATISFIABLE(416, "range_not_satisfiable", "The requested range is outside the file"),
    PARTIAL_UPLOAD_UNFINISHED(422, "partial_upload_unfinished", "A partial upload of this final upload is not complete yet"),
    LOCKED(423, "locked", "Another request is writing to this upload; retry after it ends"),
    RATE_LIMITED(429, "rate_limited", "Too many requests; retry later"),
    CHECKSUM_MISMATCH(460, "checksum_mismatch", "The body does not match Upload-Checksum"),
    NOT_IMPLEMENTED(501, "not_implemented", "This method is not supported for this path"),
    INTERNAL_ERROR(500, "internal_error", "The server failed to handle the request"),
    STORAGE_FAILED(500, "storage_failed", "The server could not store the bytes"),
    REDIS_UNAVAILABLE(503, "redis_unavailable", "The progress store is unreachable; retry shortly"),
    LINKS_DISABLED(503, "links_disabled", "Signed links are off: mediapipeline.links.secrets is not set"),
    ANALYTICS_DISABLED(503, "analytics_disabled", "Analytics are off: mediapipeline.analytics.enabled is false"),
    HOOK_UNAVAILABLE(503, "hook_unavailable", "The pre-create hook did not answer in time; retry shortly"),
    UNAVAILABLE(503, "unavailable", "The service cannot answer now; retry shortly");

    private final int status;
    private final String code;
    private final String message;

    ErrorCode(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }
}
