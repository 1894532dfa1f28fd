package com.mediapipeline.auth;

import com.mediapipeline.config.InvalidSettingException;
import com.mediapipeline.errors.ApiException;
import com.mediapipeline.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Signing and checking download links: what a link grants, and every way one is refused. */
class SignedLinksTest {

    private static final String FILE = "0b115d88-c1f0-4d17-85f0-f363d1a92a23";
    private static final String OLD = "old:" + "o".repeat(32);
    private static final String NEW = "new:" + "n".repeat(40);
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void aSignedLinkGrantsItsFileUntilItExpires() {
        SignedLinks links = links(NEW);
        SignedLinks.Signed signed = links.sign(FILE, NOW.plusSeconds(3600), "inline");
        SignedLinks.Grant grant = verify(links, signed, NOW.plusSeconds(3599));
        assertEquals(new SignedLinks.Grant(FILE, NOW.plusSeconds(3600), "inline", "new"), grant);
        assertEquals(ErrorCode.LINK_EXPIRED, refusal(() -> verify(links, signed, NOW.plusSeconds(3600))));
    }

    @Test
    void anyChangedPartIsRefused() {
        SignedLinks links = links(NEW);
        SignedLinks.Signed s = links.sign(FILE, NOW.plusSeconds(60), "attachment");
        String otherFile = "1b115d88-c1f0-4d17-85f0-f363d1a92a23";
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(otherFile, expires(s), s.disposition(), s.kid(), s.signature(), NOW)));
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(FILE, Long.toString(s.expiresAt().getEpochSecond() + 60),
                s.disposition(), s.kid(), s.signature(), NOW)));
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(FILE, expires(s), "inline", s.kid(), s.signature(), NOW)));
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(FILE, expires(s), s.disposition(), "other", s.signature(), NOW)));
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(FILE, expires(s), s.disposition(), s.kid(),
                s.signature().substring(1) + "A", NOW)));
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(FILE, "soon", s.disposition(), s.kid(), s.signature(), NOW)));
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(FILE, "0" + expires(s), s.disposition(), s.kid(), s.signature(), NOW)),
                "one link, one spelling");
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> links.verify(FILE, null, null, null, null, NOW)));
    }

    /** The first secret signs, all verify: a rotated-out secret's links live on while it stays listed. */
    @Test
    void aRotatedSecretStillVerifiesItsLinks() {
        SignedLinks.Signed before = links(OLD).sign(FILE, NOW.plusSeconds(60), "attachment");
        SignedLinks rotated = links(NEW + "," + OLD);
        assertEquals(FILE, verify(rotated, before, NOW).fileId());
        assertEquals("new", rotated.sign(FILE, NOW.plusSeconds(60), "attachment").kid());
        assertEquals(ErrorCode.LINK_INVALID, refusal(() -> verify(links(NEW), before, NOW)), "once dropped, its links die");
    }

    @Test
    void withoutSecretsLinksAreOffAndBadSecretsStopTheStart() {
        assertEquals(ErrorCode.LINKS_DISABLED, refusal(() -> links("").sign(FILE, NOW, "inline")));
        assertThrows(InvalidSettingException.class, () -> links("short:" + "x".repeat(31)));
        assertThrows(InvalidSettingException.class, () -> links("no-colon" + "x".repeat(40)));
        assertThrows(InvalidSettingException.class, () -> links(OLD + "," + OLD));
    }

    private static SignedLinks links(String setting) {
        SignedLinks links = new SignedLinks();
        links.setting = Optional.of(setting);
        links.parse();
        return links;
    }

    private static SignedLinks.Grant verify(SignedLinks links, SignedLinks.Signed s, Instant now) {
        return links.verify(s.fileId(), expires(s), s.disposition(), s.kid(), s.signature(), now);
    }

    private static String expires(SignedLinks.Signed s) {
        return Long.toString(s.expiresAt().getEpochSecond());
    }

    private static ErrorCode refusal(Runnable call) {
        return assertThrows(ApiException.class, call::run).code();
    }
}
