package com.mediapipeline.upload;

import jakarta.servlet.http.HttpServletRequest;
import me.desair.tus.server.upload.UploadInfo;

/**
 * An upload's TUS info with the user who created it, kept in its info file: every later report about
 * the upload names its creator, whichever user of the business sends the bytes or resumes it.
 */
public class OwnedUploadInfo extends UploadInfo {

    /** The request attribute in which the TUS filter hands the caller's username to the creation. */
    static final String CREATOR = OwnedUploadInfo.class.getName() + ".creator";
    private static final long serialVersionUID = 1L;

    private final String username;

    OwnedUploadInfo(HttpServletRequest request) {
        super(request);
        this.username = (String) request.getAttribute(CREATOR);
    }

    /** Who created the upload; null for an upload whose info file predates this record. */
    public static String creatorOf(UploadInfo info) {
        return info instanceof OwnedUploadInfo owned ? owned.username : null;
    }
}
