package com.mediapipeline.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The container's error page (web.xml): whatever fails outside JAX-RS and the TUS filter still
 * answers JSON, never the server's HTML page or a stack trace.
 */
@WebServlet("/error")
public class ErrorPageServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        int code = status instanceof Integer s ? s : HttpServletResponse.SC_NOT_FOUND;
        if (failure != null) {
            LOG.log(Level.SEVERE, "Unhandled error on " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), failure);
        }
        ErrorResponses.write(response, codeOf(code), null);
    }

    /**
     * The statuses the container answers by itself (its default servlet serves the page and its files);
     * JAX-RS and TUS answer their own errors. Any other is the client's mistake or ours.
     */
    private static ErrorCode codeOf(int status) {
        return switch (status) {
            case HttpServletResponse.SC_NOT_FOUND -> ErrorCode.ROUTE_NOT_FOUND;
            case HttpServletResponse.SC_METHOD_NOT_ALLOWED -> ErrorCode.METHOD_NOT_ALLOWED;
            case HttpServletResponse.SC_PRECONDITION_FAILED -> ErrorCode.PRECONDITION_FAILED;
            case HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE -> ErrorCode.TOO_LARGE;
            case HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE -> ErrorCode.RANGE_NOT_SATISFIABLE;
            case HttpServletResponse.SC_NOT_IMPLEMENTED -> ErrorCode.NOT_IMPLEMENTED;
            case HttpServletResponse.SC_SERVICE_UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            default -> status < 500 ? ErrorCode.BAD_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }
}
