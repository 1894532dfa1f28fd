package com.mediapipeline.outbound;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DestinationsTest {

    @Test
    void privateLoopbackLinkLocalAndSharedAddressesAreInternal() throws Exception {
        for (String address : new String[] {"127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "224.0.0.1",
                "::127.0.0.1", "64:ff9b::a00:1", "64:ff9b:1::1", "2002:a00:1::", "2001:0::1", "192.0.0.192", "198.18.0.1", "240.0.0.1",
                "255.255.255.255"}) {
            assertTrue(Destinations.internal(InetAddress.getByName(address)), address);
        }
        for (String address : new String[] {"93.184.216.34", "8.8.8.8", "2606:4700::1111", "100.128.0.1", "172.32.0.1",
                "64:ff9b::808:808", "2002:808:808::1"}) {
            assertFalse(Destinations.internal(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void httpAndInternalAddressesOnlyToListedHosts() {
        Destinations destinations = new Destinations();
        destinations.allowedHostsSetting = "hooks.internal, 127.0.0.1";
        destinations.parse();

        assertDoesNotThrow(() -> destinations.checkAddresses(destinations.parse("http://127.0.0.1:8080/hook")));
        assertDoesNotThrow(() -> destinations.parse("http://HOOKS.internal/hook"));
        assertThrows(Destinations.RefusedDestination.class, () -> destinations.parse("http://example.com/hook"));
        assertThrows(Destinations.RefusedDestination.class, () -> destinations.checkAddresses(URI.create("https://127.0.0.2/hook")));
        assertThrows(Destinations.RefusedDestination.class, () -> destinations.parse("https://user@example.com/hook"));
        assertThrows(Destinations.RefusedDestination.class, () -> destinations.parse("/relative"));
    }
}
