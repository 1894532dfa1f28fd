package com.mediapipeline.upload;

import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.mediapipeline.testing.Stubs.stub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an IETF request reads as TUS: the translation of its fields, without a container. */
class IetfRequestTest {

    private static final String UPLOAD = TusRequest.ROOT + "/0b115d88-c1f0-4d17-85f0-f363d1a92a23";

    @Test
    void theDraftsFieldsSelectItUnlessTheRequestIsTus() {
        assertTrue(IetfRequest.selects(request("POST", Map.of("Upload-Draft-Interop-Version", "6"))));
        assertTrue(IetfRequest.selects(request("POST", Map.of("Upload-Complete", "?1"))));
        assertFalse(IetfRequest.selects(request("POST", Map.of("Upload-Complete", "?1", "Tus-Resumable", "1.0.0"))));
        assertFalse(IetfRequest.selects(request("POST", Map.of("Upload-Length", "5"))));
    }

    @Test
    void aCompleteCreationDeclaresItsBodyAsTheLength() {
        IetfRequest creation = IetfRequest.of(request("POST", Map.of("Upload-Complete", "?1", "Content-Length", "11",
                "Content-Type", "text/plain")), TusRequest.ROOT + "/");
        assertEquals("11", creation.getHeader("Upload-Length"));
        assertEquals(CreationWithUpload.OCTET_STREAM, creation.getHeader("content-type"));
        assertEquals("1.0.0", creation.getHeader("Tus-Resumable"));
        assertEquals("filetype " + base64("text/plain"), creation.getHeader("Upload-Metadata"));
        ApiException inconsistent = assertThrows(ApiException.class, () -> IetfRequest.of(request("POST",
                Map.of("Upload-Complete", "?1", "Content-Length", "11", "Upload-Length", "12")), TusRequest.ROOT));
        assertEquals(ErrorCode.INCONSISTENT_LENGTH, inconsistent.code());
    }

    @Test
    void anIncompleteCreationDefersAnUnknownLength() {
        IetfRequest creation = IetfRequest.of(request("POST", Map.of("Upload-Complete", "?0")), TusRequest.ROOT);
        assertEquals("1", creation.getHeader("Upload-Defer-Length"));
        assertNull(creation.getHeader("Upload-Length"));
    }

    @Test
    void aCompletingAppendDeclaresWhereTheUploadEnds() {
        IetfRequest append = IetfRequest.of(request("PATCH", Map.of("Upload-Complete", "?1", "Upload-Offset", "5",
                "Content-Length", "6", "Content-Type", "application/partial-upload")), UPLOAD);
        assertEquals("11", append.getHeader("Upload-Length"));
        assertEquals(CreationWithUpload.OCTET_STREAM, append.getContentType());
        assertThrows(ApiException.class, () -> IetfRequest.of(request("PATCH", Map.of("Upload-Complete", "?0",
                "Upload-Offset", "0", "Content-Type", "application/offset+octet-stream")), UPLOAD));
        assertThrows(ApiException.class, () -> IetfRequest.of(request("PATCH", Map.of("Upload-Complete", "yes",
                "Upload-Offset", "0", "Content-Type", "application/partial-upload")), UPLOAD));
    }

    @Test
    void contentDigestBecomesTheChecksum() {
        assertEquals("sha256 q83vEjRWeJA=", patchWithDigest("sha-256=:q83vEjRWeJA=:").getHeader("Upload-Checksum"));
        assertEquals("sha512 q83vEjRWeJA=", patchWithDigest("md5=:AAAA:, sha-512=:q83vEjRWeJA=:;p=1").getHeader("Upload-Checksum"));
        assertNull(patchWithDigest("crc32c=:AAAAAA==:").getHeader("Upload-Checksum"), "an algorithm we do not check");
        ApiException malformed = assertThrows(ApiException.class, () -> patchWithDigest("sha-256=:q83vEjRWeJA="));
        assertEquals(ErrorCode.INVALID_CHECKSUM, malformed.code());
    }

    @Test
    void theFilenameComesFromContentDisposition() {
        assertEquals("filename " + base64("a;b.txt"), creationNamed("attachment; filename=\"a;b.txt\"").getHeader("Upload-Metadata"));
        assertEquals("filename " + base64("real.txt"),
                creationNamed("attachment; name=\"x;filename=evil\"; filename=real.txt").getHeader("Upload-Metadata"));
        assertEquals("filename " + base64("€ rates.txt"),
                creationNamed("attachment; filename=\"rates.txt\"; filename*=UTF-8'en'%E2%82%AC%20rates.txt").getHeader("Upload-Metadata"));
        assertNull(creationNamed("attachment; filename=\"" + "x".repeat(5000) + "\"").getHeader("Upload-Metadata"),
                "a name too long for TUS's metadata is dropped, not a reason to refuse the upload");
    }

    @Test
    void anInteropVersionWeDoNotSpeakIs400() {
        ApiException unknown = assertThrows(ApiException.class, () -> IetfRequest.of(request("HEAD",
                Map.of("Upload-Draft-Interop-Version", "5")), UPLOAD));
        assertEquals(ErrorCode.UNSUPPORTED_INTEROP_VERSION, unknown.code());
        assertEquals("HEAD", IetfRequest.of(request("GET", Map.of("Upload-Draft-Interop-Version", "8")), UPLOAD).getMethod(),
                "interop 8 retrieves the offset with GET too");
    }

    private static IetfRequest patchWithDigest(String digest) {
        return IetfRequest.of(request("PATCH", Map.of("Upload-Complete", "?0", "Upload-Offset", "0",
                "Content-Type", "application/partial-upload", "Content-Length", "8", "Content-Digest", digest)), UPLOAD);
    }

    private static IetfRequest creationNamed(String disposition) {
        return IetfRequest.of(request("POST", Map.of("Upload-Complete", "?0", "Content-Disposition", disposition)), TusRequest.ROOT);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpServletRequest request(String method, Map<String, String> fields) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(fields);
        Map<String, Object> attributes = new HashMap<>();
        return stub(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getHeader" -> headers.get((String) args[0]);
            case "getHeaders" -> Collections.enumeration(headers.containsKey((String) args[0])
                    ? List.of(headers.get((String) args[0])) : List.of());
            case "getContentLengthLong" -> headers.containsKey("Content-Length") ? Long.parseLong(headers.get("Content-Length")) : -1L;
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            case "getAttribute" -> attributes.get((String) args[0]);
            default -> throw new UnsupportedOperationException(name);
        });
    }
}
