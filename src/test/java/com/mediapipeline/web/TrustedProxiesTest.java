package com.mediapipeline.web;

import com.mediapipeline.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustedProxiesTest {

    private final List<Cidr> proxies = TrustedProxies.parse("10.0.0.0/8, 127.0.0.1, 2001:db8::/32");

    @Test
    void blocksContainTheirAddressesOnly() {
        Cidr block = Cidr.parse("192.168.4.0/22").orElseThrow();
        assertTrue(block.contains(Cidr.address("192.168.7.255").orElseThrow()));
        assertFalse(block.contains(Cidr.address("192.168.8.0").orElseThrow()));
        assertFalse(block.contains(Cidr.address("::ffff:c0a8:0801").orElseThrow()), "192.168.8.1");
        assertTrue(Cidr.parse("0.0.0.0/0").orElseThrow().contains(Cidr.address("203.0.113.9").orElseThrow()));
        assertFalse(Cidr.parse("2001:db8::/32").orElseThrow().contains(Cidr.address("10.0.0.1").orElseThrow()));
    }

    /** Host names would mean DNS lookups per request, and a name can change what it points at. */
    @Test
    void onlyLiteralAddressesAreAccepted() {
        assertTrue(Cidr.address("localhost").isEmpty());
        assertTrue(Cidr.address("1.2").isEmpty());
        assertTrue(Cidr.address("256.1.1.1").isEmpty());
        assertTrue(Cidr.parse("10.0.0.0/33").isEmpty());
        assertTrue(Cidr.parse("10.0.0.0/8/8").isEmpty());
        assertThrows(InvalidSettingException.class, () -> TrustedProxies.parse("10.0.0.0/8, proxy.internal"));
        assertEquals(List.of(), TrustedProxies.parse(" "));
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertEquals("203.0.113.9", TrustedProxies.client(proxies, "203.0.113.9", List.of("198.51.100.1")));
    }

    /** Each trusted hop vouches for the one before it; the first untrusted hop from the right is the client. */
    @Test
    void theClientIsTheNearestHopThatIsNoTrustedProxy() {
        assertEquals("198.51.100.7", TrustedProxies.client(proxies, "127.0.0.1", List.of("6.6.6.6, 198.51.100.7, 10.1.2.3")));
        assertEquals("198.51.100.7", TrustedProxies.client(proxies, "127.0.0.1", List.of("6.6.6.6", "198.51.100.7")));
        assertEquals("10.1.2.3", TrustedProxies.client(proxies, "127.0.0.1", List.of("10.1.2.3")));
        assertEquals("10.1.2.3", TrustedProxies.client(proxies, "127.0.0.1", List.of("garbage, 10.1.2.3")));
    }

    /** Proxies that add the client's port still name the client: each client keeps its own rate-limit bucket. */
    @Test
    void hopsWithAPortNameTheirClient() {
        assertEquals("198.51.100.7", TrustedProxies.client(proxies, "127.0.0.1", List.of("198.51.100.7:50123")));
        assertEquals("2001:db8:0:0:0:0:0:1", TrustedProxies.client(proxies, "127.0.0.1", List.of("[2001:db8::1]:443")));
        assertEquals("2001:db8:0:0:0:0:0:1", TrustedProxies.client(proxies, "127.0.0.1", List.of("2001:db8::1")));
    }
}
