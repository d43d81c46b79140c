package org.conclave.sfu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.conclave.sfu.bwe.ClampOptions;
import org.conclave.sfu.bwe.EstimatorOptions;
import org.conclave.sfu.keyframe.KeyFrameOptions;
import org.conclave.sfu.bwe.LayerOptions;
import org.conclave.sfu.repair.NackOptions;
import org.conclave.sfu.room.RoomOptions;
import org.conclave.sfu.sdp.SdpLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SfuConfigTest {

    @Test
    void emptyDocumentGivesTheDefaults() {
        SfuConfig config = SfuConfig.fromYaml("", Map.of());

        assertThat(config).isEqualTo(SfuConfig.defaults());
        assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(config.udpPort()).isEqualTo(10000);
        assertThat(config.advertisedAddresses()).isEmpty();
        assertThat(config.maxEndpoints()).isEqualTo(500);
        assertThat(config.maxEndpointsPerConference()).isEqualTo(100);
        assertThat(config.iceConnectTimeoutMs()).isEqualTo(10_000);
        assertThat(config.iceConsentTimeoutMs()).isEqualTo(30_000);
        assertThat(config.dtlsHandshakeTimeoutMs()).isEqualTo(10_000);
        assertThat(config.signaling()).isEqualTo(new SignalingConfig(5_000, 30_000, 30_000));
    }

    @Test
    void everyKeyIsReadFromTheFile() {
        SfuConfig config = SfuConfig.fromYaml("""
                sfu:
                  bind_address: 127.0.0.1
                  udp_port: 0
                  advertised_addresses: [203.0.113.7, media.example.org, "2001:db8::1"]
                  max_endpoints: 20
                  max_endpoints_per_conference: 5
                  ice_connect_timeout_ms: 1500
                  ice_consent_timeout_ms: 2500
                  dtls_handshake_timeout_ms: 3500
                  rate_floor_bps: 300000
                  rate_recover_percent: 150
                  rate_demote_after_ms: 1000
                  rate_promote_after_ms: 4000
                  rate_min_request_bps: 50000
                  rate_max_request_bps: 4000000
                  rate_refresh_ms: 500
                  rate_start_bps: 600000
                  rate_estimate_timeout_ms: 3000
                  layer_upswitch_margin_percent: 80
                  layer_timeout_ms: 2000
                  layer_keyframe_retry_ms: 300
                  keyframe_source_interval_ms: 250
                  keyframe_receiver_max_requests: 5
                  keyframe_receiver_window_ms: 20000
                  keyframe_receiver_min_spacing_ms: 100
                  nack_cache_packets: 1024
                  nack_cache_max_age_ms: 2000
                  nack_resend_interval_ms: 50
                  nack_upstream_max_retries: 4
                  room_waiting_timeout_ms: 30000
                  room_speaker_hold_ms: 400
                  offer_answer_timeout_ms: 2000
                  keepalive_interval_ms: 15000
                  keepalive_timeout_ms: 20000
                  packet_threads: 3
                  max_endpoints_per_thread: 50
                  handshake_packets_per_second: 40
                  max_sending_media_lines: 12
                  max_simulcast_layers: 3
                  sdp_max_chars: 65536
                  sdp_max_media_sections: 32
                  sdp_max_attributes_per_section: 512
                """, Map.of());

        NackOptions n = NackOptions.DEFAULTS;
        assertThat(config).isEqualTo(new SfuConfig("127.0.0.1", 0,
                List.of("203.0.113.7", "media.example.org", "2001:db8::1"), 20, 5, 1500, 2500, 3500, 3, 50, 40,
                new RateControlConfig(
                        new ClampOptions(300_000, 1.5, 1000, 4000, ClampOptions.DEFAULT_CHANGE_THRESHOLD, 500, 50_000,
                                4_000_000),
                        new EstimatorOptions(EstimatorOptions.DEFAULT_MIN_BITRATE_BPS,
                                EstimatorOptions.DEFAULT_MAX_BITRATE_BPS, 600_000,
                                EstimatorOptions.DEFAULT_HISTORY_PACKETS, 3000),
                        new LayerOptions(0.8, 300, 2000),
                        new KeyFrameOptions(250, 5, 20_000, 100),
                        new NackOptions(1024, 2000, 50, n.upstreamMaxMissing(), 4, n.upstreamRetryMillis(),
                                n.upstreamMaxAgeMillis(), n.reorderPackets(), n.reorderMillis())),
                RoomOptions.DEFAULTS.withWaitingTimeout(java.time.Duration.ofSeconds(30))
                        .withSpeakerHold(java.time.Duration.ofMillis(400)),
                new SignalingConfig(2000, 15_000, 20_000, 12, 3, 65_536, 32, 512)));
    }

    @Test
    void environmentOverridesTheFile() {
        SfuConfig config = SfuConfig.fromYaml("""
                sfu:
                  udp_port: 10000
                  advertised_addresses: [203.0.113.7]
                """, Map.of(
                "CONCLAVE_SFU_UDP_PORT", " 4000 ",
                "CONCLAVE_SFU_ADVERTISED_ADDRESSES", "10.0.0.5, media.example.org,,",
                "CONCLAVE_SFU_ICE_CONSENT_TIMEOUT_MS", "5000",
                "CONCLAVE_SFU_KEEPALIVE_TIMEOUT_MS", "12000",
                "CONCLAVE_SFU_MAX_SENDING_MEDIA_LINES", "2",
                "CONCLAVE_SFU_SDP_MAX_MEDIA_SECTIONS", "6",
                "CONCLAVE_SFU_SDP_MAX_CHARS", "8192",
                "CONCLAVE_SFU_UDP_SEND", " GSO ",
                "CONCLAVE_OTHER_THING", "not ours",
                "PATH", "/usr/bin"));

        assertThat(config.udpPort()).isEqualTo(4000);
        assertThat(config.advertisedAddresses()).containsExactly("10.0.0.5", "media.example.org");
        assertThat(config.iceConsentTimeoutMs()).isEqualTo(5000);
        assertThat(config.signaling().keepAliveTimeoutMs()).isEqualTo(12_000);
        assertThat(config.signaling().maxSendingMediaLines()).isEqualTo(2);
        assertThat(config.signaling().sdpLimits()).isEqualTo(new SdpLimits(8192, 6,
                SdpLimits.DEFAULT_MAX_ATTRIBUTES_PER_SECTION));
        assertThat(config.maxEndpoints()).isEqualTo(500);
        assertThat(config.udpSend()).isEqualTo(UdpSend.GSO);
        assertThat(SfuConfig.defaults().udpSend()).as("the default stays the direct path").isEqualTo(UdpSend.DIRECT);
    }

    @Test
    void theControlMessageLimitsAreRead() {
        SfuConfig config = SfuConfig.fromYaml("""
                sfu:
                  room_max_json_depth: 12
                  room_max_list_items: 64
                """, Map.of("CONCLAVE_SFU_ROOM_MAX_JSON_DEPTH", "16"));

        assertThat(config.room().maxJsonDepth()).isEqualTo(16);
        assertThat(config.room().maxListItems()).isEqualTo(64);
        assertThat(SfuConfig.defaults().room().maxJsonDepth()).isEqualTo(RoomOptions.DEFAULT_MAX_JSON_DEPTH);
    }

    @Test
    void anEmptyEnvironmentListClearsTheFileList() {
        SfuConfig config = SfuConfig.fromYaml("sfu:\n  advertised_addresses: [203.0.113.7]\n",
                Map.of("CONCLAVE_SFU_ADVERTISED_ADDRESSES", ""));

        assertThat(config.advertisedAddresses()).isEmpty();
    }

    @Test
    void aKeyWithNoValueKeepsItsDefault() {
        SfuConfig config = SfuConfig.fromYaml("sfu:\n  udp_port:\n  advertised_addresses:\n", Map.of());

        assertThat(config).isEqualTo(SfuConfig.defaults());
    }

    static Stream<Arguments> invalidFiles() {
        return Stream.of(
                Arguments.of("udp_port: 70000", "sfu.udp_port: must be between 0 and 65535, got 70000"),
                Arguments.of("udp_port: -1", "sfu.udp_port: must be between 0 and 65535, got -1"),
                Arguments.of("udp_port: '10000'", "sfu.udp_port: must be a whole number, got \"10000\" (a string)"),
                Arguments.of("udp_port: 1.5", "sfu.udp_port: must be a whole number, got 1.5 (a number)"),
                Arguments.of("udp_port: 99999999999", "sfu.udp_port: is far out of range, got 99999999999"),
                Arguments.of("udp_port: [1]", "sfu.udp_port: must be a whole number, got a list"),
                Arguments.of("udp_prot: 10000", "sfu.udp_prot: unknown key; did you mean udp_port?"),
                Arguments.of("max_endpoint: 10", "sfu.max_endpoint: unknown key; did you mean max_endpoints?"),
                Arguments.of("colour: blue", "sfu.colour: unknown key (docs/operators.md lists the keys of section sfu)"),
                Arguments.of("bind_address: localhost",
                        "sfu.bind_address: must be an IP address such as 0.0.0.0 or ::, got \"localhost\""),
                Arguments.of("bind_address: 256.1.1.1",
                        "sfu.bind_address: must be an IP address such as 0.0.0.0 or ::, got \"256.1.1.1\""),
                Arguments.of("bind_address: 10",
                        "sfu.bind_address: must be a string, got 10 (a whole number); put it in quotes"),
                Arguments.of("advertised_addresses: 203.0.113.7",
                        "sfu.advertised_addresses: must be a list such as [a, b], got \"203.0.113.7\" (a string)"),
                Arguments.of("advertised_addresses: [203.0.113.7, 'bad host']",
                        "sfu.advertised_addresses: entries must be IP addresses or host names, got \"bad host\""),
                Arguments.of("advertised_addresses: [media.example.org, MEDIA.example.org]",
                        "sfu.advertised_addresses: must not list an address twice, got \"MEDIA.example.org\""),
                Arguments.of("advertised_addresses: [5]",
                        "sfu.advertised_addresses: entry 1 must be a string, got 5 (a whole number)"),
                Arguments.of("max_endpoints: 0", "sfu.max_endpoints: must be between 1 and 100000, got 0"),
                Arguments.of("max_endpoints_per_conference: 0",
                        "sfu.max_endpoints_per_conference: must be between 1 and 100000, got 0"),
                Arguments.of("ice_connect_timeout_ms: 10",
                        "sfu.ice_connect_timeout_ms: must be between 100 and 600000, got 10"),
                Arguments.of("ice_consent_timeout_ms: 30",
                        "sfu.ice_consent_timeout_ms: must be between 100 and 600000, got 30"),
                Arguments.of("dtls_handshake_timeout_ms: true",
                        "sfu.dtls_handshake_timeout_ms: must be a whole number, got true (a boolean)"),
                Arguments.of("rate_floor_bps: -1", "sfu.rate_floor_bps: must be between 0 and 100000000, got -1"),
                Arguments.of("rate_recover_percent: 90", "sfu.rate_recover_percent: must be between 100 and 1000, got 90"),
                Arguments.of("nack_cache_packets: 1000", "sfu.nack_cache_packets: must be a power of two, got 1000"),
                Arguments.of("rate_min_request_bps: 5000000",
                        "sfu.rate_min_request_bps: must not exceed rate_max_request_bps (2500000), got 5000000"),
                Arguments.of("room_voice_level: 128", "sfu.room_voice_level: must be between 0 and 127, got 128"),
                Arguments.of("room_messages_per_second: 0",
                        "sfu.room_messages_per_second: must be between 1 and 10000, got 0"),
                Arguments.of("room_max_json_depth: 7", "sfu.room_max_json_depth: must be between 8 and 64, got 7"),
                Arguments.of("room_max_list_items: 5000",
                        "sfu.room_max_list_items: must be between 16 and 4096, got 5000"),
                Arguments.of("keyframe_receiver_max_requests: 0",
                        "sfu.keyframe_receiver_max_requests: must be between 1 and 1000, got 0"),
                Arguments.of("udp_send: sendmmsg", "sfu.udp_send: must be direct or gso, got \"sendmmsg\""),
                Arguments.of("handshake_packets_per_second: 5",
                        "sfu.handshake_packets_per_second: must be between 10 and 100000, got 5"),
                Arguments.of("udp_port: 65535\n  packet_threads: 2", "sfu.packet_threads: each packet thread needs its"
                        + " own port, udp_port .. udp_port + packet_threads - 1, and those must not exceed 65535"
                        + " (udp_port is 65535, packet threads 2): lower udp_port"),
                Arguments.of("offer_answer_timeout_ms: 5", "sfu.offer_answer_timeout_ms: must be between 100 and 600000, got 5"),
                Arguments.of("keepalive_interval_ms: 0", "sfu.keepalive_interval_ms: must be between 100 and 600000, got 0"),
                Arguments.of("keepalive_timeout_ms: 3600000",
                        "sfu.keepalive_timeout_ms: must be between 100 and 600000, got 3600000"),
                Arguments.of("max_sending_media_lines: 65",
                        "sfu.max_sending_media_lines: must be between 1 and 64, got 65"),
                Arguments.of("max_simulcast_layers: 0", "sfu.max_simulcast_layers: must be between 1 and 16, got 0"),
                Arguments.of("sdp_max_chars: 1000", "sfu.sdp_max_chars: must be between 4096 and 1048576, got 1000"),
                Arguments.of("sdp_max_media_sections: 0",
                        "sfu.sdp_max_media_sections: must be between 1 and 1024, got 0"),
                Arguments.of("sdp_max_media_sections: 4", "sfu.sdp_max_media_sections: must be at least"
                        + " max_sending_media_lines (8), got 4"),
                Arguments.of("sdp_max_attributes_per_section: 100000",
                        "sfu.sdp_max_attributes_per_section: must be between 64 and 65536, got 100000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void invalidValueIsNamedWithItsKeyValueAndRule(String line, String expected) {
        assertThatThrownBy(() -> SfuConfig.fromYaml("sfu:\n  " + line + "\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    static Stream<Arguments> invalidEnvironments() {
        return Stream.of(
                Arguments.of("CONCLAVE_SFU_UDP_PORT", "abc", "sfu.udp_port: must be a whole number,"
                        + " got \"abc\" (a string) (from CONCLAVE_SFU_UDP_PORT)"),
                Arguments.of("CONCLAVE_SFU_UDP_PORT", "70000", "sfu.udp_port: must be between 0 and 65535,"
                        + " got 70000 (from CONCLAVE_SFU_UDP_PORT)"),
                Arguments.of("CONCLAVE_SFU_UDP_PORT", "", "sfu.udp_port: must be a whole number,"
                        + " got \"\" (a string) (from CONCLAVE_SFU_UDP_PORT)"),
                Arguments.of("CONCLAVE_SFU_UDP_PROT", "1",
                        "CONCLAVE_SFU_UDP_PROT: unknown environment variable; did you mean CONCLAVE_SFU_UDP_PORT?"),
                Arguments.of("CONCLAVE_SFU_ADVERTISED_ADDRESSES", "10.0.0.5,bad host",
                        "sfu.advertised_addresses: entries must be IP addresses or host names, got \"bad host\""
                                + " (from CONCLAVE_SFU_ADVERTISED_ADDRESSES)"),
                Arguments.of("CONCLAVE_SFU_BIND_ADDRESS", "::1::2", "sfu.bind_address: must be an IP address"
                        + " such as 0.0.0.0 or ::, got \"::1::2\" (from CONCLAVE_SFU_BIND_ADDRESS)"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidEnvironments")
    void invalidEnvironmentValueNamesTheVariable(String name, String value, String expected) {
        assertThatThrownBy(() -> SfuConfig.fromYaml("", Map.of(name, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = (ConfigException) catchConfigException("""
                sfu:
                  udp_port: 70000
                  bind_address: nowhere
                  udp_prot: 1
                  max_endpoints: "ten"
                """);

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("sfu.max_endpoints", "sfu.bind_address", "sfu.udp_port", "sfu.udp_prot");
        assertThat(e.getMessage().lines()).hasSize(4);
    }

    @Test
    void constructingInCodeAppliesTheSameRules() {
        assertThatThrownBy(() -> SfuConfig.defaults().withUdpPort(70000))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sfu.udp_port: must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> SfuConfig.defaults().withIceConnectTimeoutMs(99))
                .hasMessage("sfu.ice_connect_timeout_ms: must be between 100 and 600000, got 99");
        assertThatThrownBy(() -> SfuConfig.defaults().withAdvertisedAddresses(null))
                .hasMessage("sfu.advertised_addresses: must be set");
    }

    @Test
    void withersChangeOneValueAndKeepTheRest() {
        SfuConfig config = SfuConfig.defaults().withBindAddress("127.0.0.1").withUdpPort(0)
                .withAdvertisedAddresses(List.of("10.0.0.5")).withMaxEndpoints(8).withMaxEndpointsPerConference(4)
                .withIceConnectTimeoutMs(200).withIceConsentTimeoutMs(300).withDtlsHandshakeTimeoutMs(400)
                .withPacketThreads(2).withMaxEndpointsPerThread(9)
                .withHandshakePacketsPerSecond(30);

        assertThat(config).isEqualTo(new SfuConfig("127.0.0.1", 0, List.of("10.0.0.5"), 8, 4, 200, 300, 400, 2, 9, 30,
                RateControlConfig.defaults(), RoomOptions.DEFAULTS, SignalingConfig.defaults()));
    }

    @Test
    void advertisedAddressesAreCopiedAndUnmodifiable() {
        List<String> addresses = new ArrayList<>(List.of("10.0.0.5"));
        SfuConfig config = SfuConfig.defaults().withAdvertisedAddresses(addresses);
        addresses.add("10.0.0.6");

        assertThat(config.advertisedAddresses()).containsExactly("10.0.0.5");
        assertThatThrownBy(() -> config.advertisedAddresses().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static Throwable catchConfigException(String yaml) {
        try {
            SfuConfig.fromYaml(yaml, Map.of());
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no ConfigException for " + yaml);
    }
}
