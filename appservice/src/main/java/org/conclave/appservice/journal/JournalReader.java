package org.conclave.appservice.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a journal file back. The file is only ever appended to, so damage can only be a last write that did not
 * fully reach the disk (crash, power loss): everything from the first damaged line on is left out and
 * {@link Result#intactBytes()} says where to cut. Records that were acknowledged to anyone were fsync'd, and fsync
 * persists everything before them too, so no acknowledged record can lie behind a damaged one.
 */
public final class JournalReader {
    private static final int READ_CHUNK = 64 * 1024;
    /**
     * Far above any record Conclave writes (keys are event ids, which the transaction parser admits up to the spec's
     * 255 bytes; notes are transaction ids of at most 1024 characters): a longer line is damage. Not a flood bound:
     * this file is Conclave's own, written only from what the parser admitted, so it is no configuration key.
     */
    static final int MAX_LINE_BYTES = 16 * 1024;

    /**
     * @param records the intact records, in file order
     * @param intactBytes length of the intact prefix of the file
     * @param droppedLines complete or partial lines after the first damaged one (0 for an undamaged file)
     */
    public record Result(List<JournalRecord> records, long intactBytes, int droppedLines) {}

    private JournalReader() {}

    public static Result read(Path file) throws IOException {
        if (!Files.exists(file)) return new Result(List.of(), 0, 0);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads a journal's bytes from a stream (the stream is not closed). */
    public static Result read(InputStream in) throws IOException {
        List<JournalRecord> records = new ArrayList<>();
        byte[] line = new byte[256];
        int lineLength = 0;
        boolean lineTooLong = false;
        long offset = 0;
        long intact = 0;
        boolean damaged = false;
        int dropped = 0;
        byte[] chunk = new byte[READ_CHUNK];
        int n;
        while ((n = in.read(chunk)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                offset++;
                if (b != '\n') {
                    if (lineLength < MAX_LINE_BYTES) {
                        if (lineLength == line.length) line = Arrays.copyOf(line, line.length * 2);
                        line[lineLength++] = b;
                    } else {
                        lineTooLong = true;
                    }
                    continue;
                }
                JournalRecord record = damaged || lineTooLong ? null : JournalRecord.decode(line, 0, lineLength);
                if (record != null) {
                    records.add(record);
                    intact = offset;
                } else {
                    damaged = true;
                    dropped++;
                }
                lineLength = 0;
                lineTooLong = false;
            }
        }
        if (lineLength > 0 || lineTooLong) dropped++; // a last line without its newline: a torn write
        return new Result(records, intact, dropped);
    }
}
