package com.mediapipeline.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** A block of addresses such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a block of one. */
record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    /** The block, or empty when the text is not {@code address[/prefix]} with a literal address. */
    static Optional<Cidr> parse(String text) {
        String[] parts = text.trim().split("/", -1);
        Optional<InetAddress> address = address(parts[0]);
        if (address.isEmpty() || parts.length > 2) {
            return Optional.empty();
        }
        byte[] network = address.get().getAddress();
        int bits = network.length * 8;
        if (parts.length == 1) {
            return Optional.of(new Cidr(network, bits));
        }
        if (!parts[1].matches("\\d{1,3}") || Integer.parseInt(parts[1]) > bits) {
            return Optional.empty();
        }
        return Optional.of(new Cidr(network, Integer.parseInt(parts[1])));
    }

    /** A literal IPv4 or IPv6 address; never a host name, so never a DNS lookup. */
    static Optional<InetAddress> address(String text) {
        String literal = text.trim();
        if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException malformed) {
            return Optional.empty();
        }
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (bytes[whole] & mask) == (network[whole] & mask);
    }
}
