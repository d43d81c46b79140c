package org.conclave.sfu.dtls;

import java.security.SecureRandom;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Bouncy Castle's TLS crypto with AES-GCM's GHASH computed without per-key tables. Its default multiplier keeps a
 * 4 KB table per key (~17 KB per DTLS session: the read and write keys), which buys speed DTLS here does not need:
 * after the handshake a session carries only the data channel's control messages (media goes through SRTP).
 */
final class CompactGcmCrypto extends BcTlsCrypto {
    CompactGcmCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    protected AEADBlockCipher createGCMMode(BlockCipher engine) {
        return GCMBlockCipher.newInstance(engine, new BasicGCMMultiplier());
    }

    /** The GCM mode this crypto gives record protection (for tests). */
    AEADBlockCipher gcm() {
        return createGCMMode(createAESEngine());
    }
}
