package org.conclave.keyexchange.sframe;

/**
 * The AEAD of one cipher suite bound to one derived key. The associated data is given in two pieces (the SFrame header
 * and the application's metadata) so no caller has to concatenate them. Instances hold JCE objects: one thread at a
 * time.
 */
interface Aead {

    /** Encrypts {@code in[inOff, inOff+inLen)} to ciphertext plus tag at {@code out[outOff]}; returns the length. */
    int seal(byte[] nonce, byte[] aad1, int aad1Off, int aad1Len, byte[] aad2, int aad2Off, int aad2Len,
             byte[] in, int inOff, int inLen, byte[] out, int outOff);

    /**
     * Verifies and decrypts ciphertext plus tag {@code in[inOff, inOff+inLen)} (at least the tag length) to
     * {@code out[outOff]}; returns the plaintext length, or -1 when the tag does not verify (nothing useful written).
     */
    int open(byte[] nonce, byte[] aad1, int aad1Off, int aad1Len, byte[] aad2, int aad2Off, int aad2Len,
             byte[] in, int inOff, int inLen, byte[] out, int outOff);

    static Aead create(CipherSuite suite, byte[] key) {
        return suite.isGcm() ? new GcmAead(suite, key) : new CtrHmacAead(suite, key);
    }
}
