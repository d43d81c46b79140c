package org.conclave.tests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conclave.tests.harness.TestPaths;
import org.junit.jupiter.api.Test;

/**
 * Runs Conclave Web's unit tests ({@code node --test test/} in {@code web/}: media-key decisions, grid layout for
 * 1-25 tiles, roster updates, call history) so that the Maven suite covers the client's logic that needs no browser.
 */
class WebUnitTestsTest {
    /** Fewer passing tests than this means test files were not picked up. */
    private static final int MIN_PASSING = 25;
    private static final Pattern PASS = Pattern.compile("(?m)^# pass (\\d+)$");
    private static final Pattern FAIL = Pattern.compile("(?m)^# fail (\\d+)$");

    @Test
    void nodeTestSuiteOfTheWebClientPasses() throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", "--test", "--test-reporter=tap", "test/")
                .directory(TestPaths.webAppDir().toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node --test finished").isTrue();
        Matcher pass = PASS.matcher(output);
        Matcher fail = FAIL.matcher(output);
        assertThat(pass.find() && fail.find()).as("TAP summary in:%n%s", output).isTrue();
        assertThat(Integer.parseInt(fail.group(1))).as("failures in:%n%s", output).isZero();
        assertThat(Integer.parseInt(pass.group(1))).as("passing tests").isGreaterThanOrEqualTo(MIN_PASSING);
        assertThat(node.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("when a device leaves, the others make a new key",
                "every count from 1 to 25 fits", "a snapshot replaces the roster");
    }
}
