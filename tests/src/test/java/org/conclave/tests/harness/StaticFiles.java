package org.conclave.tests.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Serves the files of one directory read-only (the test web pages), never anything outside it. */
final class StaticFiles {
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "json", "application/json",
            "png", "image/png",
            "svg", "image/svg+xml");
    private static final String DEFAULT_TYPE = "application/octet-stream";

    private final Path root;

    StaticFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** The file at {@code relative} ('/'-separated, percent-decoded); 404 when missing or outside the root. */
    Reply get(String relative) throws IOException {
        Path file = root.resolve(relative).normalize();
        if (relative.isEmpty() || !file.startsWith(root) || !Files.isRegularFile(file)) {
            return Reply.text(404, "no such file: " + relative);
        }
        return new Reply(200, contentType(file), Files.readAllBytes(file), null);
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? DEFAULT_TYPE : CONTENT_TYPES.getOrDefault(name.substring(dot + 1), DEFAULT_TYPE);
    }
}
