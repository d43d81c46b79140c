package org.conclave.appservice.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A journal file as a crash or a full disk may leave it: reading never throws, reads the same whether the file
 * arrives at once or a byte at a time, stops at a line boundary, and every record it returns encodes to a line that
 * reads back as the same record.
 */
class JournalReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void read(byte[] data) throws IOException {
        JournalReader.Result result = JournalReader.read(new ByteArrayInputStream(data));
        assertThat(JournalReader.read(new OneByteAtATime(data))).isEqualTo(result);

        int intact = (int) result.intactBytes();
        assertThat(intact).isBetween(0, data.length);
        if (intact > 0) assertThat(data[intact - 1]).isEqualTo((byte) '\n');
        int lines = 0;
        for (int i = 0; i < intact; i++) if (data[i] == '\n') lines++;
        assertThat(result.records()).hasSize(lines);
        assertThat(result.droppedLines()).isNotNegative();
        if (intact == data.length) assertThat(result.droppedLines()).isZero();
        for (JournalRecord record : result.records()) {
            byte[] line = record.encode();
            assertThat(JournalRecord.decode(line, 0, line.length - 1)).isEqualTo(record);
        }
    }

    private static final class OneByteAtATime extends InputStream {
        private final byte[] data;
        private int pos;

        OneByteAtATime(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) return 0;
            if (pos >= data.length) return -1;
            b[off] = data[pos++];
            return 1;
        }
    }

    /** Keeps the seeds meaningful: they hold intact records (the accepting path), not only damage. */
    @Test
    void seedsHoldRecords() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("JournalReaderFuzzTestInputs/read/three-records")) {
            assertThat(JournalReader.read(in).records()).hasSize(3);
        }
    }
}
