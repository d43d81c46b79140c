package org.conclave.appservice.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.conclave.appservice.config.AppserviceLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parser reads the body where the HTTP server put it (no copy of a body's size), and whatever memory holds it
 * (heap, a slice of a larger array, direct memory, several pieces), the outcome is the same.
 */
class TransactionBufferTest {
    private static final String BODY = "{\"events\":[{\"event_id\":\"$a\",\"room_id\":\"!r:hs\",\"type\":\"m.room.message\","
            + "\"sender\":\"@u:hs\",\"content\":{\"body\":\"\\u00e9\"}},{\"a\":" + "[".repeat(70) + "]".repeat(70) + "},"
            + "7],\"ephemeral\":[{\"type\":\"m.typing\",\"room_id\":\"!r:hs\",\"content\":{}}],"
            + "\"to_device\":[{\"type\":\"m.call.invite\",\"sender\":\"@u:hs\",\"to_user_id\":\"@c:hs\","
            + "\"to_device_id\":\"D\",\"content\":{}}]}";

    /** A heap buffer whose bulk copy out is counted: what {@code Buffer.getBytes()} does with it. */
    private static final class CountingHeapByteBuf extends UnpooledHeapByteBuf {
        final AtomicInteger copies = new AtomicInteger();

        CountingHeapByteBuf(byte[] bytes) {
            super(ByteBufAllocator.DEFAULT, bytes, bytes.length);
            writerIndex(bytes.length);
        }

        @Override
        public ByteBuf getBytes(int index, byte[] dst, int dstIndex, int length) {
            copies.incrementAndGet();
            return super.getBytes(index, dst, dstIndex, length);
        }
    }

    @Test
    void aHeapBodyIsReadInPlaceNotCopied() throws Exception {
        CountingHeapByteBuf bytes = new CountingHeapByteBuf(BODY.getBytes(StandardCharsets.UTF_8));

        Transaction txn = TransactionParser.parse("t", BufferInternal.buffer(bytes));

        assertThat(txn.units()).hasSize(3);
        assertThat(bytes.copies).as("copies of the body").hasValue(0);
    }

    static Stream<Arguments> memories() {
        Function<byte[], Buffer> slice = b -> {
            byte[] padded = new byte[b.length + 7];
            Arrays.fill(padded, (byte) '!');
            System.arraycopy(b, 0, padded, 3, b.length);
            return BufferInternal.buffer(Unpooled.wrappedBuffer(padded, 3, b.length)); // arrayOffset 3, 4 bytes after
        };
        Function<byte[], Buffer> direct = b -> BufferInternal.buffer(Unpooled.directBuffer(b.length).writeBytes(b));
        Function<byte[], Buffer> pieces = b -> BufferInternal.buffer(Unpooled.wrappedBuffer(
                Unpooled.wrappedBuffer(Arrays.copyOf(b, b.length / 2)),
                Unpooled.directBuffer().writeBytes(b, b.length / 2, b.length - b.length / 2)));
        Function<byte[], Buffer> sliced = b -> Buffer.buffer("xx".getBytes(StandardCharsets.UTF_8)).appendBytes(b)
                .slice(2, 2 + b.length);
        return Stream.of(Arguments.of("heap slice of a larger array", slice), Arguments.of("direct", direct),
                Arguments.of("two pieces, heap and direct", pieces), Arguments.of("Buffer.slice", sliced));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("memories")
    void anyMemoryParsesAsAPlainHeapBuffer(String name, Function<byte[], Buffer> memory) throws Exception {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        Transaction expected = TransactionParser.parse("t", Buffer.buffer(body));

        Transaction txn = TransactionParser.parse("t", memory.apply(body));

        assertThat(txn.fingerprint()).isEqualTo(expected.fingerprint());
        assertThat(txn.units()).isEqualTo(expected.units()).hasSize(3);
        assertThat(txn.skipped()).isEqualTo(expected.skipped()).isEqualTo(2);
        assertThat(txn.leftOut()).isEqualTo(expected.leftOut());
    }

    /** Refusals are the same too: truncated, beyond max_transaction_values, beyond max_transaction_depth. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("memories")
    void anyMemoryIsRefusedAsAPlainHeapBuffer(String name, Function<byte[], Buffer> memory) {
        AppserviceLimits d = AppserviceLimits.DEFAULTS;
        AppserviceLimits limits = new AppserviceLimits(d.maxTransactionKib(), d.maxEventDepth(), 1_000,
                d.maxNumberChars(), 100, 31_001, d.transactionAckWaitMs(), d.homeserverConnections());
        for (String body : new String[] {BODY.substring(0, BODY.length() - 1), "{\"events\":[" + "0,".repeat(31_000)
                + "0]}", "{\"events\":[" + "[".repeat(1_000) + "]".repeat(1_000) + "]}", "{} {}"}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            TransactionException expected = refusal(Buffer.buffer(bytes), limits);
            TransactionException refused = refusal(memory.apply(bytes), limits);
            assertThat(refused.status()).isEqualTo(expected.status());
            assertThat(refused.errcode()).isEqualTo(expected.errcode());
            assertThat(refused.getMessage()).isEqualTo(expected.getMessage());
            assertThat(refused.limit()).isEqualTo(expected.limit());
        }
    }

    private static TransactionException refusal(Buffer body, AppserviceLimits limits) {
        TransactionException e = catchThrowableOfType(TransactionException.class,
                () -> TransactionParser.parse("t", body, limits));
        assertThat(e).as("refused").isNotNull();
        return e;
    }
}
