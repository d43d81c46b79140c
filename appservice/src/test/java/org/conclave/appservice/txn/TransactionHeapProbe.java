package org.conclave.appservice.txn;

import io.vertx.core.buffer.Buffer;
import org.conclave.appservice.config.AppserviceLimits;

/**
 * Not a test: a measurement (docs/reliability.md, "The heap a transaction costs"). Parses one body of
 * {@code {"events":[{},{},...]}} of the given size, as the HTTP handler has it (in a Vert.x {@link Buffer}), with
 * {@code max_transaction_values} as given (default: the default), and prints the outcome. Run it with ever smaller
 * {@code -Xmx} to find the heap the body needs; 1000000000 stands for "no limit".
 *
 * <p>Arguments: MiB [max_transaction_values], or {@code legal}: the worst transaction a homeserver may send, 300 items
 * (here all in {@code events}: the decoder's cost is the same) of {@code max_item_values} values each, every one of
 * them kept: a list of empty objects (~30 KiB, a legal event's size). Or {@code nested}: as many items as
 * {@code max_transaction_values} lets through, each {@code {"a":{"a":...{}}}} nested to {@code max_event_depth} (a
 * one-key object costs more than an empty one: its map's table).
 */
public final class TransactionHeapProbe {
    private TransactionHeapProbe() {}

    public static void main(String[] args) {
        AppserviceLimits d = AppserviceLimits.DEFAULTS;
        boolean legal = args[0].equals("legal");
        boolean nested = args[0].equals("nested");
        int bytes = legal || nested ? 0 : Integer.parseInt(args[0]) * 1024 * 1024;
        int maxValues = args.length > 1 ? Integer.parseInt(args[1]) : d.maxTransactionValues();
        AppserviceLimits limits = new AppserviceLimits(d.maxTransactionKib(), d.maxEventDepth(),
                d.maxTransactionDepth(), d.maxNumberChars(), d.maxItemValues(), maxValues, d.transactionAckWaitMs(),
                d.homeserverConnections());
        Buffer body = legal ? legal(AppserviceLimits.MAX_HOMESERVER_ITEMS, d.maxItemValues())
                : nested ? nested(d.maxEventDepth() - 2, maxValues) : body(bytes);
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

    /** {@code {"events":[[{},...],...]}}: {@code items} lists of {@code itemValues - 1} empty objects. */
    private static Buffer legal(int items, int itemValues) {
        String item = "[{}" + ",{}".repeat(itemValues - 2) + "]";
        return Buffer.buffer("{\"events\":[" + String.join(",", java.util.Collections.nCopies(items, item)) + "]}");
    }

    /** {@code {"events":[...]}}: items of {@code levels} nested objects, as many as {@code maxValues} allows. */
    private static Buffer nested(int levels, int maxValues) {
        String item = "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
        int items = (maxValues - 2) / levels;
        return Buffer.buffer("{\"events\":[" + String.join(",", java.util.Collections.nCopies(items, item)) + "]}");
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
