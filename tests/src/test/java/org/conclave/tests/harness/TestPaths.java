package org.conclave.tests.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the test-side scripts. Maven runs tests with the module directory ({@code tests/}) as working directory; an
 * IDE may use the repository root. The system property {@value #DIR_PROPERTY} overrides both.
 */
public final class TestPaths {
    public static final String DIR_PROPERTY = "conclave.tests.dir";
    private static final String MARKER = "js/web/peer.html";
    /** tests/js/web lies three levels below the repository root. */
    private static final int WEB_ROOT_DEPTH = 3;

    private TestPaths() {}

    /** The {@code tests} module directory. */
    public static Path moduleDir() {
        String override = System.getProperty(DIR_PROPERTY);
        if (override != null) return requireMarker(Path.of(override).toAbsolutePath().normalize());
        Path cwd = Path.of("").toAbsolutePath().normalize();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) return dir;
            if (Files.isRegularFile(dir.resolve("tests").resolve(MARKER))) return dir.resolve("tests");
        }
        throw new IllegalStateException("cannot find tests/" + MARKER + " from " + cwd + "; set -D" + DIR_PROPERTY);
    }

    /** {@code tests/js}: the Node peers and their node_modules. */
    public static Path jsDir() {
        return moduleDir().resolve("js");
    }

    /** {@code tests/js/web}: what the signal server serves under /static/. */
    public static Path webRoot() {
        return jsDir().resolve("web");
    }

    /**
     * {@code keyexchange/js}, the browser SFrame implementation, found next to the {@code tests} module that holds
     * {@code webRoot} ({@code tests/js/web}); a directory that does not exist when the pages are elsewhere.
     */
    public static Path keyexchangeJsDir(Path webRoot) {
        Path dir = webRoot.toAbsolutePath().normalize();
        for (int up = 0; up < WEB_ROOT_DEPTH && dir.getParent() != null; up++) dir = dir.getParent();
        return dir.resolve("keyexchange").resolve("js");
    }

    /** {@code web}: Conclave Web (its sources, node_modules and the built {@code dist/}), next to {@code tests}. */
    public static Path webAppDir() {
        return moduleDir().getParent().resolve("web");
    }

    /** {@code tests/py}: the aiortc peer. */
    public static Path pyDir() {
        return moduleDir().resolve("py");
    }

    private static Path requireMarker(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
            throw new IllegalStateException(DIR_PROPERTY + "=" + dir + " has no " + MARKER);
        }
        return dir;
    }
}
