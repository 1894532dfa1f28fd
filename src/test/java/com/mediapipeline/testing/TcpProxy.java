package com.mediapipeline.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of a server, which can cut the connections open now off silently,
 * as a network partition or a frozen host does: their bytes stop in both directions and neither end hears
 * a FIN or a RST, while connections made afterwards pass as before.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listening;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "tcp-proxy-accept-" + port());
        accepting.setDaemon(true);
        accepting.start();
    }

    /** A proxy on a free port of loopback that relays to {@code host:port}. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listening.getLocalPort();
    }

    /** Stops relaying on every connection open now, in both directions, without closing any of them. */
    public void blackholeOpenConnections() {
        links.forEach(link -> link.blackholed = true);
    }

    @Override
    public void close() throws IOException {
        listening.close();
        for (Link link : links) {
            link.close();
        }
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket server = new Socket();
                try {
                    server.connect(target, 5000);
                } catch (IOException unreachable) {
                    client.close();
                    continue;
                }
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException closed) {
                return; // the proxy was closed
            }
        }
    }

    /** One client's connection and the proxy's connection to the server on its behalf. */
    private static final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean blackholed;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            pump(client, server, "up");
            pump(server, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    // the streams stay open when a blackholed link ends: closing one would close its socket
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        if (!blackholed) {
                            out.write(buffer, 0, read);
                            out.flush();
                        }
                    }
                    if (!blackholed) {
                        close();
                    }
                    // a blackholed link swallows the end too: the other side must not learn of it
                } catch (IOException e) {
                    if (!blackholed) {
                        close();
                    }
                }
            }, "tcp-proxy-" + direction + "-" + from.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            try {
                client.close();
            } catch (IOException ignored) {
                // closing both is all that matters
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // as above
            }
        }
    }
}
