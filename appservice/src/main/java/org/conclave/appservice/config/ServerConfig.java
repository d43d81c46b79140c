package org.conclave.appservice.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.SfuConfig;

/** Everything one Conclave process needs, from one YAML file ({@code config/conclave.yaml}) plus the environment. */
public record ServerConfig(SfuConfig sfu, AppserviceConfig appservice, CallConfig calls) {
    public static final String DEFAULT_FILE = "config/conclave.yaml";

    public ServerConfig {
        Objects.requireNonNull(sfu, "sfu");
        Objects.requireNonNull(appservice, "appservice");
        Objects.requireNonNull(calls, "calls");
    }

    public ServerConfig(SfuConfig sfu, AppserviceConfig appservice) {
        this(sfu, appservice, CallConfig.defaults());
    }

    public static ServerConfig defaults() {
        return new ServerConfig(SfuConfig.defaults(), AppserviceConfig.defaults(), CallConfig.defaults());
    }

    /** Reads both sections; throws one {@link org.conclave.sfu.config.ConfigException} listing every problem. */
    public static ServerConfig read(ConfigSource source) {
        SfuConfig sfu = SfuConfig.read(source);
        AppserviceConfig appservice = AppserviceConfig.read(source);
        CallConfig calls = CallConfig.read(source);
        source.finish();
        return new ServerConfig(sfu, appservice, calls);
    }

    public static ServerConfig load(Path file, Map<String, String> env) {
        return read(ConfigSource.fromFile(file, env));
    }

    public static ServerConfig fromYaml(String yaml, Map<String, String> env) {
        return read(ConfigSource.fromYaml(yaml, "<yaml>", env));
    }
}
