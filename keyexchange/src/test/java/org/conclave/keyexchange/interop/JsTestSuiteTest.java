package org.conclave.keyexchange.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the JavaScript tests (node --test js/test/) so that mvn test covers the JS implementation too. */
class JsTestSuiteTest {
    /** Fewer passing tests than this means test files were not picked up. */
    private static final int MIN_PASSING = 40;
    private static final Pattern PASS = Pattern.compile("(?m)^# pass (\\d+)$");
    private static final Pattern FAIL = Pattern.compile("(?m)^# fail (\\d+)$");

    @Test
    void nodeTestSuitePasses() {
        Node.requireVersion();
        Node.Result r = Node.run("--test", "--test-reporter=tap", "test/");
        Matcher pass = PASS.matcher(r.output());
        Matcher fail = FAIL.matcher(r.output());
        assertThat(pass.find() && fail.find()).as("TAP summary in:%n%s", r.output()).isTrue();
        assertThat(Integer.parseInt(fail.group(1))).as("failures in:%n%s", r.output()).isZero();
        assertThat(Integer.parseInt(pass.group(1))).as("passing tests").isGreaterThanOrEqualTo(MIN_PASSING);
        assertThat(r.exitCode()).as("node --test exit code; output:%n%s", r.output()).isZero();
        assertThat(r.output()).contains("header vectors encode and decode", "sframe vector, suite 5",
                "interop script decrypts its own output");
    }
}
