package org.conclave.keyexchange.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.conclave.keyexchange.sframe.CipherSuite;
import org.conclave.keyexchange.sframe.SFrameException;
import org.conclave.keyexchange.sframe.SFrameSender;
import org.junit.jupiter.api.Test;

class RemoteKeyringTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] FRAME = {1, 2, 3, 4};
    private static final byte[] NO_METADATA = {};

    private static byte[] encryptWith(MediaKey key) {
        SFrameSender s = new SFrameSender(CipherSuite.DEFAULT);
        s.useKey(key.kid(), key.key());
        return s.encrypt(FRAME, NO_METADATA);
    }

    @Test
    void keepsTheNewestKeyAndFourPastOnes() throws SFrameException {
        RemoteKeyring ring = new RemoteKeyring("@bob:hs|DEV", CipherSuite.DEFAULT);
        MediaKey[] keys = new MediaKey[7];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = MediaKey.random(i, RANDOM);
            assertThat(ring.accept(keys[i])).isTrue();
        }
        assertThat(ring.keys()).containsExactly(keys[2], keys[3], keys[4], keys[5], keys[6]);
        assertThat(ring.latest()).contains(keys[6]);
        assertThat(ring.receiver().keyCount()).isEqualTo(RemoteKeyring.PAST_KEYS_KEPT + 1);
        for (int i = 2; i < 7; i++) {
            assertThat(ring.receiver().decrypt(encryptWith(keys[i]), NO_METADATA)).isEqualTo(FRAME);
        }
        assertThatThrownBy(() -> ring.receiver().decrypt(encryptWith(keys[1]), NO_METADATA))
                .isInstanceOf(SFrameException.UnknownKey.class);
    }

    @Test
    void resentKeyKeepsItsReplayWindowAndReusedIndexReplacesTheKey() throws SFrameException {
        RemoteKeyring ring = new RemoteKeyring("bob", CipherSuite.DEFAULT);
        MediaKey k = MediaKey.random(3, RANDOM);
        ring.accept(k);
        byte[] ct = encryptWith(k);
        ring.receiver().decrypt(ct, NO_METADATA);
        assertThat(ring.accept(new MediaKey(3, k.key()))).isFalse();
        assertThatThrownBy(() -> ring.receiver().decrypt(ct, NO_METADATA)).isInstanceOf(SFrameException.Replay.class);

        MediaKey wrapped = MediaKey.random(3, RANDOM);   // index 3 again after 256 rotations
        assertThat(ring.accept(wrapped)).isTrue();
        assertThat(ring.keys()).containsExactly(wrapped);
        assertThatThrownBy(() -> ring.receiver().decrypt(ct, NO_METADATA))
                .isInstanceOf(SFrameException.AuthFailure.class);
        assertThat(ring.receiver().decrypt(encryptWith(wrapped), NO_METADATA)).isEqualTo(FRAME);
    }
}
