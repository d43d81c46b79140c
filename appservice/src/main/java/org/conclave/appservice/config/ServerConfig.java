package org.conclave.appservice.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.conclave.cluster.ClusterConfig;
import org.conclave.sfu.config.ConfigSource;
import org.conclave.sfu.config.SfuConfig;

/**
 * Everything one Conclave process needs, from one YAML file ({@code config/conclave.yaml}) plus the environment.
 *
 * @param publicListener section {@code public} ({@code public} is a Java keyword)
 * @param cluster which parts this process runs, and how it joins the others (default: standalone, no cluster)
 */
public record ServerConfig(SfuConfig sfu, AppserviceConfig appservice, CallConfig calls, AdminConfig admin,
        LoggingConfig logging, PublicConfig publicListener, TurnConfig turn, ClusterConfig cluster) {
    public static final String DEFAULT_FILE = "config/conclave.yaml";

    public ServerConfig {
        Objects.requireNonNull(sfu, "sfu");
        Objects.requireNonNull(appservice, "appservice");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(publicListener, "publicListener");
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(cluster, "cluster");
    }

    public ServerConfig(SfuConfig sfu, AppserviceConfig appservice, CallConfig calls, AdminConfig admin,
            LoggingConfig logging, PublicConfig publicListener, TurnConfig turn) {
        this(sfu, appservice, calls, admin, logging, publicListener, turn, ClusterConfig.defaults());
    }

    public ServerConfig(SfuConfig sfu, AppserviceConfig appservice, CallConfig calls) {
        this(sfu, appservice, calls, AdminConfig.defaults(), LoggingConfig.defaults(), PublicConfig.defaults(),
                TurnConfig.defaults());
    }

    public ServerConfig(SfuConfig sfu, AppserviceConfig appservice) {
        this(sfu, appservice, CallConfig.defaults());
    }

    public static ServerConfig defaults() {
        return new ServerConfig(SfuConfig.defaults(), AppserviceConfig.defaults(), CallConfig.defaults());
    }

    /** Reads every section; throws one {@link org.conclave.sfu.config.ConfigException} listing every problem. */
    public static ServerConfig read(ConfigSource source) {
        SfuConfig sfu = SfuConfig.read(source);
        AppserviceConfig appservice = AppserviceConfig.read(source);
        CallConfig calls = CallConfig.read(source);
        AdminConfig admin = AdminConfig.read(source);
        LoggingConfig logging = LoggingConfig.read(source);
        PublicConfig publicListener = PublicConfig.read(source);
        TurnConfig turn = TurnConfig.read(source);
        ClusterConfig cluster = ClusterConfig.read(source);
        source.finish();
        return new ServerConfig(sfu, appservice, calls, admin, logging, publicListener, turn, cluster);
    }

    public static ServerConfig load(Path file, Map<String, String> env) {
        return read(ConfigSource.fromFile(file, env));
    }

    public static ServerConfig fromYaml(String yaml, Map<String, String> env) {
        return read(ConfigSource.fromYaml(yaml, "<yaml>", env));
    }

    public ServerConfig withAppservice(AppserviceConfig value) {
        return new ServerConfig(sfu, value, calls, admin, logging, publicListener, turn, cluster);
    }
}
