package com.mediapipeline.storage;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DownloadHeadersTest {

    @Test
    void asciiNamesStayReadable() {
        assertEquals("attachment; filename=\"report-2024.pdf\"; filename*=UTF-8''report-2024.pdf",
                DownloadHeaders.contentDisposition("attachment", "report-2024.pdf"));
    }

    /** RFC 5987: spaces are %20 (not + as URLEncoder writes), non-ASCII is UTF-8 percent-encoded. */
    @Test
    void nonAsciiNamesGoInFilenameStar() {
        assertEquals("attachment; filename=\"r_sum_ final.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.pdf",
                DownloadHeaders.contentDisposition("attachment", "résumé final.pdf"));
        assertEquals("attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt",
                DownloadHeaders.contentDisposition("attachment", "日本.txt"));
    }

    @Test
    void quotesSlashesAndLineBreaksCannotEscape() {
        assertEquals("attachment; filename=\"a_ b__c__d\"; filename*=UTF-8''a%22%20b%0D%0Ac%2F%5Cd",
                DownloadHeaders.contentDisposition("attachment", "a\" b\r\nc/\\d"));
    }

    @Test
    void onlyWellFormedMediaTypesAreServed() {
        assertEquals("image/png", DownloadHeaders.contentType("image/png"));
        assertEquals("text/plain; charset=utf-8", DownloadHeaders.contentType("text/plain; charset=utf-8"));
        assertEquals("application/octet-stream", DownloadHeaders.contentType(null));
        assertEquals("application/octet-stream", DownloadHeaders.contentType("text/html\r\nX-Evil: 1"));
        assertEquals("application/octet-stream", DownloadHeaders.contentType("nonsense"));
    }
}
