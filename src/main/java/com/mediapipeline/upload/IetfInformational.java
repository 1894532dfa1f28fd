package com.mediapipeline.upload;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Sends {@code 104 Upload Resumption Supported} ahead of the final answer, so that a client learns
 * the upload's URL before it sends the body (URLSession resumes an upload only after one). The
 * Servlet API has no way to send a 1xx other than 100; Payara's Grizzly writes one when handed the
 * bytes on the request's connection, reached through Catalina's and Grizzly's public methods (by
 * reflection: they are the container's, not an API of ours to compile against). Only on HTTP/1.1
 * (HTTP/1.0 clients must not get a 1xx, and HTTP/2 frames it differently) and only before the
 * response is committed; where any step is missing, no 104 is sent and every flow still works.
 */
final class IetfInformational {

    private static final Logger LOG = Logger.getLogger(IetfInformational.class.getName());
    private static final String STATUS_LINE = "HTTP/1.1 104 Upload Resumption Supported\r\n";
    private static final AtomicBoolean UNAVAILABLE_LOGGED = new AtomicBoolean();

    private IetfInformational() {
    }

    /** Sends the 104 with these fields, if the container and the connection allow; answers whether it went. */
    static boolean send(HttpServletRequest request, Map<String, String> fields) {
        if (!"HTTP/1.1".equals(request.getProtocol())) {
            return false;
        }
        StringBuilder head = new StringBuilder(STATUS_LINE);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getValue().indexOf('\r') >= 0 || field.getValue().indexOf('\n') >= 0) {
                return false;
            }
            head.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
        }
        byte[] bytes = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        try {
            Object grizzlyRequest = call(call(unwrapped(request), "getUnwrappedCoyoteRequest"), "getCoyoteRequest");
            if ((Boolean) call(call(grizzlyRequest, "getResponse"), "isCommitted")) {
                return false;
            }
            Object context = call(grizzlyRequest, "getContext");
            Object memory = call(context, "getMemoryManager");
            Class<?> buffers = Class.forName("org.glassfish.grizzly.memory.Buffers", true, context.getClass().getClassLoader());
            Class<?> memoryType = Class.forName("org.glassfish.grizzly.memory.MemoryManager", true, context.getClass().getClassLoader());
            Object buffer = buffers.getMethod("wrap", memoryType, byte[].class).invoke(null, memory, bytes);
            context.getClass().getMethod("write", Object.class, boolean.class).invoke(context, buffer, false);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            if (UNAVAILABLE_LOGGED.compareAndSet(false, true)) {
                LOG.info("This container cannot send 104 Upload Resumption Supported (" + unavailable
                        + "); IETF uploads go on without it");
            }
            return false;
        }
    }

    private static ServletRequest unwrapped(ServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        return inner;
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        Method found = target.getClass().getMethod(method);
        return found.invoke(target);
    }
}
