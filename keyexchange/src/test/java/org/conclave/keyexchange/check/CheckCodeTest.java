package org.conclave.keyexchange.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.conclave.keyexchange.check.CheckCode.Participant;
import org.conclave.keyexchange.keys.MediaKey;
import org.junit.jupiter.api.Test;

class CheckCodeTest {
    private static final byte[] ALICE_KEY = filled(0x11);
    private static final byte[] BOB_KEY = filled(0x22);
    private static final Participant ALICE = new Participant("@alice:hs", "ALICEDEV", 0, ALICE_KEY);
    private static final Participant BOB = new Participant("@bob:hs", "BOBDEV", 3, BOB_KEY);

    @Test
    void bothParticipantsComputeTheSameCodeWhateverTheOrder() {
        CheckCode seenByAlice = CheckCode.compute("!call:hs", List.of(ALICE, BOB));
        CheckCode seenByBob = CheckCode.compute("!call:hs", List.of(BOB, ALICE));
        assertThat(seenByAlice).isEqualTo(seenByBob);
        assertThat(CheckCode.compute("!call:hs", List.of(ALICE,
                Participant.of("@bob:hs", "BOBDEV", new MediaKey(3, BOB_KEY))))).isEqualTo(seenByAlice);
        assertThat(seenByAlice.digits()).hasSize(6).containsOnlyDigits();
        assertThat(seenByAlice.toString()).matches("\\d{3} \\d{3}");
    }

    @Test
    void fixedVectorSharedWithTheJavaScriptImplementation() {
        // js/test/keys.test.mjs asserts the same digits for the same inputs.
        assertThat(CheckCode.compute("!call:hs", List.of(ALICE, BOB)).digits()).isEqualTo(JS_VECTOR);
    }

    @Test
    void aDifferentKeyIndexIdentityOrRoomGivesADifferentCode() {
        CheckCode good = CheckCode.compute("!call:hs", List.of(ALICE, BOB));
        byte[] substituted = BOB_KEY.clone();
        substituted[31] ^= 1;
        assertThat(CheckCode.compute("!call:hs", List.of(ALICE, new Participant("@bob:hs", "BOBDEV", 3, substituted))))
                .isNotEqualTo(good);
        assertThat(CheckCode.compute("!call:hs", List.of(ALICE, new Participant("@bob:hs", "BOBDEV", 4, BOB_KEY))))
                .isNotEqualTo(good);
        assertThat(CheckCode.compute("!call:hs", List.of(ALICE, new Participant("@bob:hs", "EVEDEV", 3, BOB_KEY))))
                .isNotEqualTo(good);
        assertThat(CheckCode.compute("!other:hs", List.of(ALICE, BOB))).isNotEqualTo(good);
        assertThat(CheckCode.compute("!call:hs", List.of(ALICE))).isNotEqualTo(good);
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // Without length prefixes "@a" + "b:hs" and "@ab" + ":hs" would hash alike.
        Participant p1 = new Participant("@a", "b:hs", 0, ALICE_KEY);
        Participant p2 = new Participant("@ab", ":hs", 0, ALICE_KEY);
        assertThat(CheckCode.compute("!r", List.of(p1))).isNotEqualTo(CheckCode.compute("!r", List.of(p2)));
    }

    @Test
    void aParticipantListedTwiceIsAnError() {
        assertThatThrownBy(() -> CheckCode.compute("!r", List.of(ALICE, ALICE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final String JS_VECTOR = "139075";

    private static byte[] filled(int b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) b);
        return k;
    }
}
