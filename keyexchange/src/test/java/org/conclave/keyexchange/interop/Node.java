package org.conclave.keyexchange.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Node.js from the keyexchange module directory. A missing or too old node fails the test, never skips it. */
final class Node {
    static final int MIN_MAJOR_VERSION = 20;
    private static final long TIMEOUT_SECONDS = 180;

    /** Exit code and combined output of one run. */
    record Result(int exitCode, String output) {
    }

    private Node() {
    }

    /** The module's js/ directory (surefire runs tests in the module directory). */
    static Path jsDir() {
        Path js = Path.of("js").toAbsolutePath();
        if (!Files.isDirectory(js)) {
            fail("JavaScript sources not found at " + js + "; run the tests from the keyexchange module");
        }
        return js;
    }

    static Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(jsDir().toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("Node.js " + MIN_MAJOR_VERSION + "+ must be on PATH to test the JavaScript SFrame "
                    + "implementation (keyexchange/js); starting 'node' failed: " + e.getMessage());
        }
        try {
            byte[] out = process.getInputStream().readAllBytes();   // returns when node exits and closes the pipe
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("node " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
            return fail("running node failed: " + e);
        }
    }

    /** Fails unless node reports at least {@link #MIN_MAJOR_VERSION}. */
    static void requireVersion() {
        Result r = run("--version");
        String v = r.output().trim();
        int major = v.matches("v\\d+\\..*") ? Integer.parseInt(v.substring(1, v.indexOf('.'))) : -1;
        if (r.exitCode() != 0 || major < MIN_MAJOR_VERSION) {
            fail("Node.js " + MIN_MAJOR_VERSION + "+ required (WebCrypto on globalThis.crypto), found: " + v);
        }
    }
}
