package org.conclave.sfu.config;

import java.util.Arrays;
import java.util.Locale;

/** Key {@code sfu.udp_send}: how packet threads hand UDP datagrams to the kernel (docs/operators.md). */
public enum UdpSend {
    /** One system call per datagram, from the thread's direct buffer, at once. */
    DIRECT,
    /**
     * Queued per loop turn; each receiver's runs of equal-length datagrams leave as one UDP GSO send (Linux 4.18+,
     * through Netty's native transport). The SFU does not start when GSO is not available.
     */
    GSO;

    public static final String KEY = "udp_send";
    public static final UdpSend DEFAULT = DIRECT;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of a configuration file or environment variable; null when it names no mode. */
    static UdpSend parse(String value) {
        for (UdpSend m : values()) {
            if (m.configName().equals(value.trim().toLowerCase(Locale.ROOT))) return m;
        }
        return null;
    }

    static String names() {
        return String.join(" or ", Arrays.stream(values()).map(UdpSend::configName).toList());
    }
}
