package com.mediapipeline.progress;

/** An upload's status as the API shows it (snake_case in JSON). */
public record UploadStatus(
        String token,
        String status,
        double progress,
        long offset,
        Long size,
        String createdAt,
        String updatedAt,
        String completedAt,
        String filename,
        String contentType,
        String username,
        String message) {

    public static final String CREATED = "created";
    public static final String UPLOADING = "uploading";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** offset/size x 100, cut (not rounded) to one decimal so that 100 means every byte is stored. */
    public static double percent(long offset, Long size) {
        if (size == null) {
            return 0.0;
        }
        if (size == 0 || offset >= size) {
            return 100.0;
        }
        return Math.floor(offset * 1000.0 / size) / 10.0;
    }
}
