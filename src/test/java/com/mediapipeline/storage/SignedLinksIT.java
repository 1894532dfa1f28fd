package com.mediapipeline.storage;

import com.mediapipeline.testing.Api;
import com.mediapipeline.testing.Await;
import com.mediapipeline.testing.ServiceIT;
import com.mediapipeline.testing.SlowBody;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

import static com.mediapipeline.testing.Responses.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /api/v1/storage/{file_id}/links and the links it answers: a GET or HEAD without a key until the
 * link expires, cacheable by a CDN, with ranges and validators; 403 once expired or changed.
 */
class SignedLinksIT extends ServiceIT {

    private static final int SIZE = 50_000;

    @Test
    void aLinkDownloadsWithoutAKeyAndMayBeCachedUntilItExpires() {
        String id = stored();
        HttpResponse<String> created = link(id, "{\"expires_in\": \"PT1H\", \"disposition\": \"inline\"}");
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> answer = Api.json(created.body());
        String url = (String) answer.get("url");
        assertTrue(url.startsWith("http://") && url.contains("/api/v1/storage/" + id + "?"), url);
        Instant expiresAt = Instant.parse((String) answer.get("expires_at"));
        assertTrue(expiresAt.isAfter(Instant.now().plus(Duration.ofMinutes(59))), expiresAt.toString());

        HttpResponse<byte[]> download = Api.sendForBytes(anonymous(url).GET());
        assertEquals(200, download.statusCode());
        assertArrayEquals(SlowBody.pattern(SIZE), download.body());
        String cache = download.headers().firstValue("Cache-Control").orElseThrow();
        assertTrue(cache.startsWith("public, max-age=") && cache.endsWith(", immutable"), cache);
        long maxAge = Long.parseLong(cache.replaceAll("\\D", ""));
        assertTrue(maxAge > 3500 && maxAge <= 3600, cache);
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("inline;"));

        HttpResponse<byte[]> head = Api.sendForBytes(anonymous(url).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(Integer.toString(SIZE), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(0, head.body().length);
    }

    @Test
    void aLinkServesRangesAndRevalidates() {
        String url = linkUrl(stored(), "PT10M");
        HttpResponse<byte[]> part = Api.sendForBytes(anonymous(url).GET().header("Range", "bytes=100-199"));
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(SlowBody.pattern(SIZE), 100, 200), part.body());
        String etag = part.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> same = Api.sendForBytes(anonymous(url).GET().header("If-None-Match", etag));
        assertEquals(304, same.statusCode());
        assertTrue(same.headers().firstValue("Cache-Control").orElseThrow().startsWith("public"));
    }

    @Test
    void aChangedLinkIsRefused() {
        String id = stored();
        String other = stored();
        String url = linkUrl(id, "PT10M");
        assertError(Api.send(anonymous(url.replace(id, other)).GET()), 403, "link_invalid");
        assertError(Api.send(anonymous(url.replace("disposition=attachment", "disposition=inline")).GET()), 403, "link_invalid");
        assertError(Api.send(anonymous(url.replaceFirst("expires=(\\d+)", "expires=9$1")).GET()), 403, "link_invalid");
        String signature = url.substring(url.indexOf("signature=") + "signature=".length());
        String flipped = (signature.charAt(0) == 'A' ? "B" : "A") + signature.substring(1);
        assertError(Api.send(anonymous(url.replace(signature, flipped)).GET()), 403, "link_invalid");
        assertError(Api.send(anonymous(url).DELETE()), 401, "unauthorized");
        assertError(Api.send(anonymous(url.replace("expires=", "expires=0")).GET()), 403, "link_invalid");
        assertError(Api.send(anonymous(url + "&signature=AAAA").GET()), 403, "link_invalid");
        HttpResponse<String> extra = Api.send(anonymous(url + "&cb=1").GET());
        assertError(extra, 403, "link_invalid");
        assertEquals("no-store", extra.headers().firstValue("Cache-Control").orElseThrow(), "no cache keeps a refusal");
        assertEquals(200, Api.send(anonymous(url).GET()).statusCode(), "the link itself still works");
    }

    @Test
    void anExpiredLinkIsRefused() {
        String url = linkUrl(stored(), "PT1S");
        Await.until(Duration.ofSeconds(10), "the link to expire", () -> Api.send(anonymous(url).GET()).statusCode() == 403);
        assertError(Api.send(anonymous(url).GET()), 403, "link_expired");
    }

    @Test
    void aDeletedFilesLinkIsNotFound() {
        String id = stored();
        String url = linkUrl(id, "PT10M");
        assertEquals(204, Api.send(acme.request("/api/v1/storage/" + id).DELETE()).statusCode());
        assertError(Api.send(anonymous(url).GET()), 404, "not_found");
    }

    @Test
    void onlyTheOwnerLinksOnlyACompletedFileForALifetimeItCanHave() {
        String id = stored();
        assertError(Api.send(Api.globex(base).request("/api/v1/storage/" + id + "/links")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expires_in\": \"PT1H\"}")).header("Content-Type", "application/json")),
                404, "not_found");
        String unfinished = Api.idOf(acme.create(10, null, null));
        assertError(link(unfinished, "{\"expires_in\": \"PT1H\"}"), 409, "upload_incomplete");
        assertError(link(id, "{\"expires_in\": \"soon\"}"), 400, "bad_request");
        assertError(link(id, "{\"expires_in\": \"P3650D\"}"), 400, "bad_request");
        assertError(link(id, "{\"expires_in\": \"PT1H\", \"disposition\": \"download\"}"), 400, "bad_request");
    }

    /**
     * What a browser would run (HTML, SVG, …) is never shown inline from this origin, where it could
     * read the page's stored key: such a link is an attachment, and every download is sandboxed.
     */
    @Test
    void onlyMediaIsShownInline() {
        String upload = acme.create(5, "page.html", "text/html");
        assertEquals(204, acme.patch(upload, 0, "<b>x</b>".substring(0, 5).getBytes()).statusCode());
        HttpResponse<String> created = link(Api.idOf(upload), "{\"expires_in\": \"PT1H\", \"disposition\": \"inline\"}");
        String url = (String) Api.json(created.body()).get("url");
        assertTrue(url.contains("disposition=attachment"), url);
        HttpResponse<byte[]> download = Api.sendForBytes(anonymous(url).GET());
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
        assertEquals("sandbox; default-src 'none'", download.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("no-referrer", download.headers().firstValue("Referrer-Policy").orElseThrow());
    }

    /** A keyed download is the caller's own: no shared cache may keep it, and it is revalidated each time. */
    @Test
    void aKeyedDownloadIsPrivate() {
        HttpResponse<byte[]> keyed = acme.download(stored());
        assertEquals("private, no-cache", keyed.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(keyed.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
    }

    private HttpResponse<String> link(String id, String body) {
        return Api.send(acme.request("/api/v1/storage/" + id + "/links")
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }

    private String linkUrl(String id, String expiresIn) {
        HttpResponse<String> created = link(id, "{\"expires_in\": \"" + expiresIn + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return (String) Api.json(created.body()).get("url");
    }

    private static HttpRequest.Builder anonymous(String url) {
        return HttpRequest.newBuilder(URI.create(url));
    }

    private String stored() {
        String upload = acme.create(SIZE, "clip.webm", "video/webm");
        assertEquals(204, acme.patch(upload, 0, SlowBody.pattern(SIZE)).statusCode());
        return Api.idOf(upload);
    }
}
