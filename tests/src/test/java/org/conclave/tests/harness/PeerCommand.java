package org.conclave.tests.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.conclave.sfu.control.Role;

/**
 * Builds the command line of one of the peer scripts, which all take
 * {@code --signal URL --conference C --participant NAME --duration-ms N [--video] [--audio] [--role HOST|GUEST]}
 * plus their own options, then starts it as a {@link PeerProcess}.
 */
public final class PeerCommand {
    /** Debian's python, which has python3-aiortc; a pyenv python3 first on PATH would not. */
    public static final String SYSTEM_PYTHON = "/usr/bin/python3";
    public static final String NODE = "node";

    private final List<String> command = new ArrayList<>();
    private final Path workingDir;
    private String participant = "peer";

    private PeerCommand(Path workingDir, String... prefix) {
        this.workingDir = workingDir;
        command.addAll(List.of(prefix));
    }

    /** {@code tests/js/chromium-peers.mjs}: one headless Chromium with {@code pages} pages, NAME-1..NAME-K. */
    public static PeerCommand chromium(int pages) {
        Path js = TestPaths.jsDir();
        return new PeerCommand(js, NODE, js.resolve("chromium-peers.mjs").toString())
                .arg("--peers", Integer.toString(pages));
    }

    /** {@code tests/js/wrtc-peer.mjs}: libwebrtc in Node with synthetic audio and video. */
    public static PeerCommand wrtc() {
        Path js = TestPaths.jsDir();
        return new PeerCommand(js, NODE, js.resolve("wrtc-peer.mjs").toString());
    }

    /** {@code tests/py/aiortc_peer.py} under {@value #SYSTEM_PYTHON}. */
    public static PeerCommand aiortc() {
        Path py = TestPaths.pyDir();
        return new PeerCommand(py, SYSTEM_PYTHON, py.resolve("aiortc_peer.py").toString());
    }

    public PeerCommand signal(SignalServer server) {
        return arg("--signal", server.baseUrl());
    }

    public PeerCommand signal(String baseUrl) {
        return arg("--signal", baseUrl);
    }

    public PeerCommand conference(String conferenceId) {
        return arg("--conference", conferenceId);
    }

    public PeerCommand participant(String name) {
        this.participant = name;
        return arg("--participant", name);
    }

    public PeerCommand role(Role role) {
        return arg("--role", role.name());
    }

    public PeerCommand durationMs(long millis) {
        return arg("--duration-ms", Long.toString(millis));
    }

    /** Send video. */
    public PeerCommand video() {
        return arg("--video");
    }

    /** Send audio. */
    public PeerCommand audio() {
        return arg("--audio");
    }

    /** Any other option of the script, e.g. {@code "--simulcast"}, {@code "--payload-check"}. */
    public PeerCommand arg(String... args) {
        command.addAll(List.of(args));
        return this;
    }

    public List<String> command() {
        return List.copyOf(command);
    }

    public PeerProcess start() throws IOException {
        return PeerProcess.start(participant, command, workingDir);
    }
}
