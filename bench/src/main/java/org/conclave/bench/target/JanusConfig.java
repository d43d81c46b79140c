package org.conclave.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Janus configuration folder made from the templates in bench/janus/: the three .jcfg files with their
 * placeholders filled in, and plugin/transport folders that link only the videoroom plugin and the HTTP transport.
 */
final class JanusConfig {
    static final Path LIBRARIES = Path.of("/usr/lib/x86_64-linux-gnu/janus");
    static final int HTTP_PORT = 8088;
    static final String[] TEMPLATES = {"janus.jcfg", "janus.plugin.videoroom.jcfg", "janus.transport.http.jcfg"};

    private JanusConfig() {}

    /** Writes the folder for a Janus whose HTTP API listens on {@code ip}:{@value #HTTP_PORT}; returns janus.jcfg. */
    static Path write(Path templates, Path dir, String ip) throws IOException {
        Files.createDirectories(dir);
        for (String sub : new String[] {"plugins", "transports", "events", "loggers"}) {
            Path d = dir.resolve(sub);
            Files.createDirectories(d);
            try (var files = Files.list(d)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
            }
        }
        Files.createSymbolicLink(dir.resolve("plugins/libjanus_videoroom.so"), LIBRARIES.resolve("plugins/libjanus_videoroom.so"));
        Files.createSymbolicLink(dir.resolve("transports/libjanus_http.so"), LIBRARIES.resolve("transports/libjanus_http.so"));
        for (String name : TEMPLATES) {
            Path template = templates.resolve(name);
            if (!Files.exists(template)) throw new IOException("Janus template " + template + " missing (run from the repository root)");
            Files.writeString(dir.resolve(name), Files.readString(template)
                    .replace("@CONFIG_DIR@", dir.toAbsolutePath().toString())
                    .replace("@IP@", ip)
                    .replace("@HTTP_PORT@", Integer.toString(HTTP_PORT)));
        }
        return dir.resolve("janus.jcfg");
    }
}
