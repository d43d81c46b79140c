package org.conclave.tests.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.conclave.sfu.control.Role;
import org.junit.jupiter.api.Test;

/**
 * Issue #6: a host's mute reaches the media path. The muted guest is told (please_mute) and its audio stops reaching
 * the others while it keeps sending; unmute lets it through again. "Mute guests" mutes every guest, also one who
 * joins afterwards, and leaves the host's audio alone.
 */
class MuteTest {
    @Test
    void hostMutesAndUnmutesAGuest() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "mute")) {
            ControlRig.Party host = rig.join("host", Role.HOST, true);
            ControlRig.Party guest = rig.join("guest", Role.GUEST, true);
            ControlRig.Party other = rig.join("other", Role.GUEST, true);
            assertThat(ControlRig.flows(guest, other)).isTrue();
            assertThat(ControlRig.flows(guest, host)).isTrue();
            long before = other.peer().audioPacketsFrom(guest.peer());

            host.dc().send("org.conclave.mute", ControlRig.target(guest));
            assertThat(guest.dc().await("org.conclave.please_mute", ControlRig.TIMEOUT).path("by").asText())
                    .isEqualTo(host.id());
            ControlRig.Silence atOther = ControlRig.silence(guest, other);
            ControlRig.Silence atHost = ControlRig.silence(guest, host);
            System.out.printf("MuteTest: guest->other %d packets before mute, %d when settled, +%d over %d ms while "
                    + "the guest sent %d; guest->host +%d%n", before, atOther.before(), atOther.grew(),
                    ControlRig.QUIET_WINDOW.toMillis(), atOther.sentDuring(), atHost.grew());
            assertThat(atOther.sentDuring()).as("the guest kept sending").isGreaterThan(50);
            assertThat(atOther.grew()).as("guest audio at the other guest while muted").isZero();
            assertThat(atHost.grew()).as("guest audio at the host while muted").isZero();
            assertThat(ControlRig.flows(host, other)).as("the host is not muted").isTrue();
            other.dc().awaitRoster(r -> r.get(guest.id()) != null && r.get(guest.id()).path("muted").asBoolean(),
                    ControlRig.TIMEOUT);

            host.dc().send("org.conclave.unmute", ControlRig.target(guest));
            assertThat(guest.dc().await("org.conclave.may_unmute", ControlRig.TIMEOUT).path("by").asText())
                    .isEqualTo(host.id());
            long unmuted = other.peer().audioPacketsFrom(guest.peer());
            assertThat(ControlRig.flows(guest, other)).as("guest audio flows again").isTrue();
            System.out.printf("MuteTest: after unmute guest->other grew from %d to %d%n", unmuted,
                    other.peer().audioPacketsFrom(guest.peer()));
            other.dc().awaitRoster(r -> !r.get(guest.id()).path("muted").asBoolean(), ControlRig.TIMEOUT);
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    @Test
    void muteGuestsAlsoMutesAGuestWhoJoinsLater() throws Exception {
        try (SfuFixture f = SfuFixture.start(); ControlRig rig = new ControlRig(f, "mute-all")) {
            ControlRig.Party host = rig.join("host", Role.HOST, true);
            ControlRig.Party guest = rig.join("guest", Role.GUEST, true);
            assertThat(ControlRig.flows(guest, host)).isTrue();

            String req = host.dc().request("org.conclave.mute_guests", Map.of());
            host.dc().await(0, "org.conclave.ok", c -> req.equals(c.path("request_id").asText()), ControlRig.TIMEOUT);
            guest.dc().await("org.conclave.please_mute", ControlRig.TIMEOUT);
            ControlRig.Party late = rig.join("late", Role.GUEST, true);
            JsonNodeAssert.hasNullBy(late.dc().await("org.conclave.please_mute", ControlRig.TIMEOUT));
            assertThat(late.dc().await("org.conclave.room_state", ControlRig.TIMEOUT).path("guests_muted").asBoolean())
                    .isTrue();

            assertThat(ControlRig.flows(host, late)).as("the late guest receives the host").isTrue();
            assertThat(ControlRig.flows(host, guest)).as("the guest receives the host").isTrue();
            ControlRig.Silence lateAtHost = ControlRig.silence(late, host);
            ControlRig.Silence guestAtLate = ControlRig.silence(guest, late);
            ControlRig.Silence lateAtGuest = ControlRig.silence(late, guest);
            System.out.printf("MuteTest: guests muted; late->host +%d (late sent %d), guest->late +%d, late->guest +%d%n",
                    lateAtHost.grew(), lateAtHost.sentDuring(), guestAtLate.grew(), lateAtGuest.grew());
            assertThat(lateAtHost.sentDuring()).isGreaterThan(50);
            assertThat(lateAtHost.grew()).isZero();
            assertThat(guestAtLate.grew()).isZero();
            assertThat(lateAtGuest.grew()).isZero();

            host.dc().send("org.conclave.unmute_guests", Map.of());
            late.dc().await("org.conclave.may_unmute", ControlRig.TIMEOUT);
            assertThat(ControlRig.flows(late, host)).as("late guest unmuted").isTrue();
            assertThat(ControlRig.flows(guest, late)).as("guest unmuted").isTrue();
            assertThat(f.sfu.packetStats().internalErrors()).isZero();
        }
    }

    /** please_mute on entering has "by": null. */
    private static final class JsonNodeAssert {
        static void hasNullBy(com.fasterxml.jackson.databind.JsonNode c) {
            assertThat(c.has("by") && c.get("by").isNull()).as("please_mute %s", c).isTrue();
        }
    }
}
