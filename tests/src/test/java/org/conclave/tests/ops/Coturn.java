package org.conclave.tests.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * coturn (Debian's {@code turnserver}, installed by scripts/install-test-deps.sh) on loopback for one test, configured
 * the way docs/operators.md tells operators: {@code use-auth-secret} with a shared secret Conclave also knows. Clients
 * reach it over TCP only ({@code no-udp}); it relays to the SFU on 127.0.0.1 ({@code allow-loopback-peers}). Also
 * Firefox's way to the SFU in the web tests (it gathers no loopback candidates of its own).
 */
public final class Coturn implements AutoCloseable {
    static final String BINARY = "/usr/bin/turnserver";
    static final String REALM = "conclave.test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final int RELAY_PORTS = 100;

    public final String secret;
    public final int port;
    final Path log;
    private final Process process;

    private Coturn(String secret, int port, Path log, Process process) {
        this.secret = secret;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static Coturn start(Path dir) throws Exception {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError(BINARY + " is missing: run scripts/install-test-deps.sh (Debian package coturn)");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = java.util.HexFormat.of().formatHex(random);
        int port = freeTcpPort();
        int relayFrom = 20_000 + new SecureRandom().nextInt(40_000);
        Path conf = dir.resolve("turnserver.conf");
        // One setting per line: coturn does not accept a comment after a setting.
        Files.writeString(conf, String.join("\n",
                "listening-ip=127.0.0.1",
                "relay-ip=127.0.0.1",
                "listening-port=" + port,
                "min-port=" + relayFrom,
                "max-port=" + (relayFrom + RELAY_PORTS - 1),
                "no-udp",
                "no-tls",
                "no-dtls",
                "use-auth-secret",
                "static-auth-secret=" + secret,
                "realm=" + REALM,
                "fingerprint",
                "allow-loopback-peers",
                "no-multicast-peers",
                "no-cli",
                "no-stun-backward-compatibility",
                "userdb=" + dir.resolve("turndb"),
                "pidfile=" + dir.resolve("turnserver.pid"),
                "log-file=stdout",
                "simple-log",
                "verbose") + "\n");
        Path log = dir.resolve("turnserver.log");
        Process process = new ProcessBuilder(BINARY, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Coturn coturn = new Coturn(secret, port, log, process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                coturn.close();
                throw new AssertionError("coturn did not listen on 127.0.0.1:" + port + "; its log:\n"
                        + Files.readString(log));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return coturn;
    }

    /** The URI Conclave hands out: TURN over TCP. */
    public String uri() {
        return "turn:127.0.0.1:" + port + "?transport=tcp";
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
