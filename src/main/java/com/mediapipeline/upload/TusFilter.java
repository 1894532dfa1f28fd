package com.mediapipeline.upload;

import com.mediapipeline.auth.CurrentCaller;
import com.mediapipeline.errors.ErrorCode;
import com.mediapipeline.errors.ErrorResponses;
import com.mediapipeline.ratelimit.RateLimitFilter;
import com.mediapipeline.ratelimit.StreamSlots;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import me.desair.tus.server.TusFileUploadService;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The TUS entry point at {@code /api/v1/uploads/*}. A filter rather than a servlet so that
 * {@code /api/v1/uploads/meta/...} and the listing ({@code GET /api/v1/uploads}) go on down the
 * chain to JAX-RS. Checks the request, takes the
 * writer's lock (a PATCH with its rate-limit token and stream slot, in one script), and hands over to
 * tus-java-server; its errors all leave as JSON.
 */
public class TusFilter extends HttpFilter {

    private static final String META = TusRequest.ROOT + "/meta/";
    private static final Logger LOG = Logger.getLogger(TusFilter.class.getName());

    @Inject
    TusFileUploadService tus;

    @Inject
    CurrentCaller caller;

    @Inject
    PatchAdmission admissions;

    @Inject
    UploadFileStore store;

    @Inject
    StreamSlots slots;

    @Inject
    UploadLimits limits;

    @Inject
    @ConfigProperty(name = "mediapipeline.upload.informational-104", defaultValue = "true")
    boolean informational;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(META) || listsUploads(request, path)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse answer = response;
        try {
            if (IetfRequest.selects(request)) {
                IetfResponse ietf = new IetfResponse(request, response, limits, informational);
                answer = ietf;
                IetfRequest understood = IetfRequest.of(request, path);
                ietf.answers(understood);
                serve(understood, ietf, path);
                ietf.finish();
            } else {
                serve(request, response, path);
            }
        } catch (RuntimeException e) {
            if (response.isCommitted()) {
                // an error answer already left (the hold ended before it, and failed on the way)
                LOG.log(Level.SEVERE, "Failure after the answer to " + request.getMethod() + " " + path, e);
            } else {
                ErrorResponses.write(answer, e);
            }
        } catch (WriteGuard.LockLostException e) {
            ErrorResponses.write(answer, ErrorCode.LOCKED, e.getMessage());
        } catch (StorageFailedException e) {
            ErrorResponses.write(answer, ErrorCode.STORAGE_FAILED, e.getMessage());
        } catch (ClientGoneException e) {
            LOG.fine("Upload request ended early: " + e.getMessage());
            if (!response.isCommitted()) {
                // a client that merely stalled past the idle timeout may still be there to read this
                ErrorResponses.write(answer, ErrorCode.BODY_INCOMPLETE, null);
            }
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "I/O error on " + request.getMethod() + " " + path, e);
            if (!response.isCommitted()) {
                ErrorResponses.write(answer, ErrorCode.INTERNAL_ERROR, null);
            }
        }
    }

    /**
     * GET /api/v1/uploads is the listing, a JAX-RS resource: TUS has no GET. A GET that names another
     * method in the override header is TUS's (as {@link TusRequest} reads it), whatever that method is.
     */
    private static boolean listsUploads(HttpServletRequest request, String path) {
        String override = request.getHeader(TusRequest.METHOD_OVERRIDE);
        return "GET".equals(request.getMethod()) && (override == null || override.isBlank())
                && (path.equals(TusRequest.ROOT) || path.equals(TusRequest.ROOT + "/"));
    }

    /** One request of either protocol, as TUS: checked, with its stream slot and lock, handed to tus-java-server. */
    private void serve(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        TusRequest tusRequest = TusRequest.parse(path, request.getMethod(), request::getHeader);
        // OPTIONS (asked, or named by the override) is the one request that comes without a caller
        String business = null;
        if (!"OPTIONS".equals(tusRequest.method())) {
            business = caller.get().business();
            request.setAttribute(CreationPost.CREATOR, caller.get().username());
        } else {
            // for clients of the IETF protocol that ask what the endpoint takes without naming a version
            response.setHeader("Upload-Limit", limits.header(IetfRequest.LATEST, null, System.currentTimeMillis()));
            response.setHeader("Accept-Patch", CreationWithUpload.OCTET_STREAM + ", " + IetfRequest.PARTIAL_UPLOAD);
        }
        if (tusRequest.writes()) {
            patch(request, response, tusRequest, business);
            return;
        }
        try (StreamSlots.Slot slot = tusRequest.streams() ? slots.take(business) : null) {
            tus.process(new DecidedMethod(request, tusRequest.method()), new TusResponse(request, response, () -> { }), business);
        }
    }

    /**
     * A PATCH: its rate-limit token (left to it by the rate-limit filter), stream slot and lock in one
     * round trip, and the upload's info served to the whole request from one visit (UploadFileStore.visit).
     */
    private void patch(HttpServletRequest request, HttpServletResponse response, TusRequest tusRequest, String business)
            throws IOException {
        // the rate-limit filter reads method and path as TusRequest does (web/MethodOverride), and every caller here has a key
        String bucket = (String) request.getAttribute(RateLimitFilter.DEFERRED);
        if (bucket == null) {
            throw new IllegalStateException("The rate-limit filter left no token to a PATCH of " + tusRequest.uploadId());
        }
        request.removeAttribute(RateLimitFilter.DEFERRED);
        PatchAdmission.Admission admission = admissions.admit(bucket, business, tusRequest.uploadId());
        if (!RateLimitFilter.answer(response, admission.decision())) {
            return;
        }
        if (admission.refusal() != null) {
            throw admission.refusal();
        }
        try (PatchHold hold = new PatchHold(admission.lease(), store.visit(tusRequest.uploadId(), business))) {
            tus.process(new DecidedMethod(request, tusRequest.method()), new TusResponse(request, response, hold), business);
        }
    }

    /**
     * The request as tus-java-server sees it: with the method this filter decided, and locked for,
     * and no override header for the library to read its own way.
     */
    private static final class DecidedMethod extends HttpServletRequestWrapper {

        private final String method;

        DecidedMethod(HttpServletRequest request, String method) {
            super(request);
            this.method = method;
        }

        @Override
        public String getMethod() {
            return method;
        }

        @Override
        public String getHeader(String name) {
            return TusRequest.METHOD_OVERRIDE.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return TusRequest.METHOD_OVERRIDE.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }
    }
}
