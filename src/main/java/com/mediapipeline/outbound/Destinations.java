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
        if (address instanceof Inet6Address) {
            boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc;
            boolean mappedV4 = Arrays.equals(Arrays.copyOf(bytes, 12), new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff});
            return uniqueLocal || mappedV4 && internal(v4(Arrays.copyOfRange(bytes, 12, 16)));
        }
        boolean sharedAddressSpace = (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        boolean thisNetwork = bytes[0] == 0;
        return sharedAddressSpace || thisNetwork;
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
