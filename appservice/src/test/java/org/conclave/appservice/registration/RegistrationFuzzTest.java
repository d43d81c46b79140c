package org.conclave.appservice.registration;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-edited or damaged registration file: {@link Registration#parse} throws nothing but
 * {@link RegistrationException}, and neither its messages nor {@link Registration#toString} ever show a token (the
 * file is secret; both end up in logs). Every {@code $T} in the input stands for {@link #SECRET}. A registration of
 * the kind Conclave writes (printable values) reads back the same from {@link Registration#toYaml}.
 */
class RegistrationFuzzTest {
    static final String SECRET = "Zk3RtQ9vXw7LmN2pSECRETbD4fGh6JkL8zXc1VbN5mQw3ErT7yUi9OpA2sDf4GhJ";

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        String yaml = new String(data, StandardCharsets.UTF_8).replace("$T", SECRET);
        Registration r;
        try {
            r = Registration.parse(yaml);
        } catch (RegistrationException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain(SECRET.substring(0, 16));
            return;
        }
        List<String> shown = new ArrayList<>(List.of(r.id(), r.url(), r.senderLocalpart()));
        shown.addAll(r.userRegexes());
        if (shown.stream().noneMatch(s -> s.contains(SECRET.substring(0, 16)))) {
            assertThat(r.toString()).doesNotContain(SECRET.substring(0, 16));
        }
        if (printable(r)) {
            assertThat(Registration.parse(r.toYaml())).isEqualTo(r);
        }
    }

    /** Whether every value is of the kind Conclave writes: no control characters, nothing YAML reads as a line break. */
    private static boolean printable(Registration r) {
        List<String> values = new ArrayList<>(List.of(r.id(), r.url(), r.asToken(), r.hsToken(), r.senderLocalpart()));
        values.addAll(r.userRegexes());
        return values.stream().allMatch(v -> v.codePoints().allMatch(c -> c >= 0x20 && c != 0x7F
                && !(c >= 0x80 && c <= 0x9F) && c != 0x2028 && c != 0x2029 && c != 0xFEFF && c < 0xFFFE));
    }

    /** Keeps the seeds meaningful: the file Conclave writes is accepted and reads back the same. */
    @Test
    void seedsReachTheAcceptingPath() throws Exception {
        try (var in = getClass().getResourceAsStream("RegistrationFuzzTestInputs/parse/written-by-conclave")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("$T", SECRET);
            Registration r = Registration.parse(yaml);
            assertThat(r.asToken()).isEqualTo(SECRET);
            assertThat(Registration.parse(r.toYaml())).isEqualTo(r);
        }
    }
}
