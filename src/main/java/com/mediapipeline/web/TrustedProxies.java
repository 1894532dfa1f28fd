package com.mediapipeline.web;

import com.mediapipeline.config.InvalidSettingException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The proxies whose {@code X-Forwarded-*} headers are believed: {@code mediapipeline.trusted-proxies},
 * a comma list of CIDR blocks, none by default. From anyone else those headers are the client's own
 * claims, good neither for telling clients apart (rate limits) nor for building URLs.
 */
@ApplicationScoped
public class TrustedProxies {

    static final String SETTING = "mediapipeline.trusted-proxies";

    @Inject
    @ConfigProperty(name = SETTING)
    Optional<String> setting;

    private List<Cidr> blocks;

    @PostConstruct
    void load() {
        blocks = parse(setting.orElse(""));
    }

    static List<Cidr> parse(String value) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (!entry.isBlank()) {
                parsed.add(Cidr.parse(entry).orElseThrow(() -> new InvalidSettingException(SETTING,
                        "must be a comma list of literal addresses or CIDR blocks (10.0.0.0/8, 2001:db8::/32), had '"
                                + entry.trim() + "'")));
            }
        }
        return List.copyOf(parsed);
    }

    public boolean trusts(String peer) {
        return trusts(blocks, Cidr.address(peer));
    }

    /**
     * The client behind a trusted peer: walking {@code X-Forwarded-For} from the nearest hop, the
     * first address that is not itself a trusted proxy (each trusted hop vouches only for the one
     * before it). A malformed hop ends the walk at the last hop vouched for.
     */
    public String client(String peer, List<String> forwardedFor) {
        return client(blocks, peer, forwardedFor);
    }

    static String client(List<Cidr> blocks, String peer, List<String> forwardedFor) {
        String client = peer;
        List<String> hops = forwardedFor.stream().flatMap(value -> Arrays.stream(value.split(","))).toList();
        for (int i = hops.size() - 1; i >= 0 && trusts(blocks, Cidr.address(client)); i--) {
            Optional<InetAddress> hop = Cidr.address(withoutPort(hops.get(i).trim()));
            if (hop.isEmpty()) {
                break;
            }
            client = hop.get().getHostAddress();
        }
        return client;
    }

    /** Some proxies (Azure Application Gateway, IIS ARR) add the client's port: {@code 1.2.3.4:5678}, {@code [2001:db8::1]:443}. */
    static String withoutPort(String hop) {
        if (hop.startsWith("[") && hop.indexOf(']') > 0) {
            return hop.substring(1, hop.indexOf(']'));
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    private static boolean trusts(List<Cidr> blocks, Optional<InetAddress> address) {
        return address.isPresent() && blocks.stream().anyMatch(block -> block.contains(address.get()));
    }
}
