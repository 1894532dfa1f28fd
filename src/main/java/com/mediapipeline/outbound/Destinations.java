package com.mediapipeline.outbound;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where webhooks may go (against SSRF): https anywhere public; http, private, loopback and link-local
 * addresses only to the hosts ops list in {@code mediapipeline.webhooks.allowed-hosts}. Checked when an
 * endpoint is registered and again before each delivery, after resolving its name, since a name can
 * change what it points to (DNS rebinding). The HTTP client then resolves through the same JVM address
 * cache, so it connects to what was checked.
 */
@ApplicationScoped
public class Destinations {

    static final String ALLOWED_HOSTS_SETTING = "mediapipeline.webhooks.allowed-hosts";

    @Inject
    @ConfigProperty(name = ALLOWED_HOSTS_SETTING, defaultValue = " ")
    String allowedHostsSetting;

    private Set<String> allowedHosts;

    @PostConstruct
    void parse() {
        allowedHosts = Arrays.stream(allowedHostsSetting.split(",")).map(String::trim).filter(host -> !host.isEmpty())
                .map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** The URL as a destination, or why it is refused. */
    public URI parse(String url) throws RefusedDestination {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw new RefusedDestination("url is not a URL");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
        if (uri.getHost() == null || !uri.isAbsolute() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new RefusedDestination("url must be an absolute http(s) URL without user info or fragment");
        }
        boolean listed = listed(uri);
        if (!scheme.equals("https") && !(scheme.equals("http") && listed)) {
            throw new RefusedDestination("url must be https, or http to a host in " + ALLOWED_HOSTS_SETTING);
        }
        return uri;
    }

    /** Refuses the destination unless every address its host has now is one webhooks may reach. */
    public void checkAddresses(URI uri) throws RefusedDestination {
        if (listed(uri)) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new RefusedDestination("the host " + uri.getHost() + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                throw new RefusedDestination("the host " + uri.getHost() + " resolves to a private, loopback or link-local address ("
                        + address.getHostAddress() + "); list it in " + ALLOWED_HOSTS_SETTING + " to allow it");
            }
        }
    }

    private boolean listed(URI uri) {
        return allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }

    static boolean internal(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        return address instanceof Inet6Address ? internalV6(bytes) : internalV4(bytes);
    }

    /** Shared (CGNAT), "this network", IETF protocol assignments, benchmarking, reserved and broadcast. */
    private static boolean internalV4(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        return first == 0 || first == 100 && (second & 0xc0) == 64 || first == 192 && second == 0 && (bytes[2] & 0xff) == 0
                || first == 198 && (second & 0xfe) == 18 || first >= 240;
    }

    /**
     * Unique local, and every form that carries an IPv4 address inside (mapped, compatible, NAT64, 6to4,
     * Teredo): judged by the address inside, or refused when it cannot be read out.
     */
    private static boolean internalV6(byte[] bytes) {
        if ((bytes[0] & 0xfe) == 0xfc) {
            return true;
        }
        boolean mapped = Arrays.equals(Arrays.copyOf(bytes, 12), new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff});
        boolean compatible = Arrays.equals(Arrays.copyOf(bytes, 12), new byte[12]);
        boolean nat64 = Arrays.equals(Arrays.copyOf(bytes, 12), new byte[]{0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0});
        if (mapped || compatible || nat64) {
            return internal(v4(Arrays.copyOfRange(bytes, 12, 16)));
        }
        boolean sixToFour = (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02;
        if (sixToFour) {
            return internal(v4(Arrays.copyOfRange(bytes, 2, 6)));
        }
        boolean teredo = (bytes[0] & 0xff) == 0x20 && bytes[1] == 0x01 && bytes[2] == 0 && bytes[3] == 0;
        boolean otherNat64 = (bytes[0] & 0xff) == 0 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b;
        return teredo || otherNat64;
    }

    private static InetAddress v4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** A destination webhooks may not reach, and why. */
    public static class RefusedDestination extends Exception {
        public RefusedDestination(String reason) {
            super(reason);
        }
    }
}
