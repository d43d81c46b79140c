package org.conclave.appservice.txn;

import io.vertx.core.buffer.Buffer;
import org.conclave.appservice.config.AppserviceLimits;

/**
 * Not a test: a measurement (docs/reliability.md, "The heap a transaction costs"). Parses one body of
 * {@code {"events":[{},{},...]}} of the given size, as the HTTP handler has it (in a Vert.x {@link Buffer}), with
 * {@code max_transaction_values} as given (default: the default), and prints the outcome. Run it with ever smaller
 * {@code -Xmx} to find the heap the body needs; 1000000000 stands for "no limit".
 *
 * <p>Arguments: MiB [max_transaction_values].
 */
public final class TransactionHeapProbe {
    private TransactionHeapProbe() {}

    public static void main(String[] args) {
        int bytes = Integer.parseInt(args[0]) * 1024 * 1024;
        AppserviceLimits d = AppserviceLimits.DEFAULTS;
        int maxValues = args.length > 1 ? Integer.parseInt(args[1]) : d.maxTransactionValues();
        AppserviceLimits limits = new AppserviceLimits(d.maxTransactionKib(), d.maxEventDepth(),
                d.maxTransactionDepth(), d.maxNumberChars(), d.maxItemValues(), maxValues, d.transactionAckWaitMs(),
                d.homeserverConnections());
        Buffer body = body(bytes);
        long start = System.nanoTime();
        String outcome;
        try {
            Transaction t = TransactionParser.parse("probe", body, limits);
            outcome = "parsed, " + t.skipped() + " items left out";
        } catch (TransactionException e) {
            outcome = "refused " + e.status() + " " + e.errcode() + ": " + e.getMessage();
        }
        System.out.printf("%d bytes, max_transaction_values %d: %s in %d ms%n", body.length(), maxValues, outcome,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** {@code {"events":[{},{},...]}} of at most {@code bytes} bytes, in a Buffer of its size. */
    private static Buffer body(int bytes) {
        String head = "{\"events\":[{}";
        String tail = "]}";
        int n = (bytes - head.length() - tail.length()) / 3;
        byte[] raw = new byte[head.length() + 3 * n + tail.length()];
        int at = 0;
        for (char c : head.toCharArray()) raw[at++] = (byte) c;
        for (int i = 0; i < n; i++) {
            raw[at++] = ',';
            raw[at++] = '{';
            raw[at++] = '}';
        }
        for (char c : tail.toCharArray()) raw[at++] = (byte) c;
        return Buffer.buffer(raw); // a copy: raw is garbage from here on
    }
}
