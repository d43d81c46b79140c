package org.conclave.bench.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LaunchTest {
    /** The baseline's classpath: only the sfu module's entry is replaced, wherever and however it was built. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/w/sfu/target/sfu-0.1.0-SNAPSHOT.jar:/m2/jackson-databind-2.17.jar      | /b/sfu.jar:/m2/jackson-databind-2.17.jar",
        "/w/bench/target/classes:/w/sfu/target/classes:/m2/vertx-core-4.5.jar    | /w/bench/target/classes:/b/sfu.jar:/m2/vertx-core-4.5.jar",
        "/m2/org/conclave/sfu/0.1.0-SNAPSHOT/sfu-0.1.0-SNAPSHOT.jar               | /b/sfu.jar",
        "/w/bench/target/bench/sfu-abc1234/sfu/target/sfu-0.1.0-SNAPSHOT.jar:/x.jar | /b/sfu.jar:/x.jar",
        "/m2/sfu-client-helper.jar:/w/sfu/target/sfu-0.1.0-SNAPSHOT.jar           | /m2/sfu-client-helper.jar:/b/sfu.jar",
    })
    void swapsTheSfuModule(String classpath, String expected) {
        assertThat(Launch.swapSfu(classpath, Path.of("/b/sfu.jar"))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/m2/jackson-databind-2.17.jar:/w/bench/target/classes", "''"})
    void refusesAClasspathWithoutTheSfuModule(String classpath) {
        assertThatThrownBy(() -> Launch.swapSfu(classpath, Path.of("/b/sfu.jar")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no sfu module");
    }
}
