package org.conclave.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading peer reports. */
class StatsTest {
    private static final String REPORT = "{\"peers\":["
            + "{\"participant\":\"p-1\",\"connectionState\":\"connected\",\"failure\":null,"
            + "\"inbound\":["
            + "{\"kind\":\"video\",\"ssrc\":1,\"mid\":\"2\",\"packetsReceived\":90,\"framesDecoded\":60,\"frameWidth\":640,\"frameHeight\":360,\"framesChecked\":60,\"framesCorrupt\":1},"
            + "{\"kind\":\"video\",\"ssrc\":2,\"mid\":\"4\",\"packetsReceived\":3,\"framesDecoded\":0},"
            + "{\"kind\":\"audio\",\"ssrc\":3,\"mid\":\"3\",\"packetsReceived\":250,\"totalSamplesReceived\":240000,\"framesChecked\":250}],"
            + "\"outbound\":[{\"kind\":\"video\",\"rid\":\"l\",\"packetsSent\":10},{\"kind\":\"video\",\"rid\":\"h\",\"packetsSent\":30},"
            + "{\"kind\":\"audio\",\"packetsSent\":7}]},"
            + "{\"participant\":\"p-2\",\"error\":\"no results\"}],\"error\":\"1 page(s) failed\"}";

    @Test
    void answersPerKindQuestions() {
        PeerReport report = Stats.parse(REPORT);
        PeerStats p1 = Stats.peer(report, "p-1");

        assertThat(report.error()).isEqualTo("1 page(s) failed");
        assertThat(Stats.inbound(p1, "video")).extracting(InboundRtp::ssrc).containsExactly(1L, 2L);
        assertThat(Stats.decodingVideo(p1, 30)).extracting(InboundRtp::mid).containsExactly("2");
        assertThat(Stats.receivingAudio(p1, 200)).extracting(InboundRtp::ssrc).containsExactly(3L);
        assertThat(Stats.receivingAudio(p1, 251)).isEmpty();
        assertThat(Stats.totalFramesDecoded(p1)).isEqualTo(60);
        assertThat(Stats.totalPacketsSent(p1, "video")).isEqualTo(40);
        assertThat(Stats.totalFramesChecked(p1)).isEqualTo(310);
        assertThat(Stats.totalFramesCorrupt(p1)).isEqualTo(1);
        assertThat(Stats.outbound(p1, "video")).extracting(OutboundRtp::rid).containsExactly("l", "h");
    }

    @Test
    void missingListsAreEmptyAndMissingNumbersZero() {
        PeerStats p2 = Stats.peer(Stats.parse(REPORT), "p-2");

        assertThat(p2.inbound()).isEmpty();
        assertThat(p2.outbound()).isEmpty();
        assertThat(p2.events()).isEmpty();
        assertThat(p2.connectedMs()).isNull();
        assertThat(p2.error()).isEqualTo("no results");
        assertThat(Stats.describe(p2)).contains("p-2").contains("no results");
    }

    @Test
    void rejectsWhatIsNotAReport() {
        assertThatThrownBy(() -> Stats.parse("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.parse("{\"peers\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.parse("{\"peers\":7}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.peer(Stats.parse(REPORT), "p-9"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p-9");
    }
}
