package org.conclave.bench.heap;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects of an HPROF heap dump (as {@code jcmd <pid> GC.heap_dump} writes it: live objects after a full GC),
 * each with its class, its shallow size, and one object that references it (the first referrer met in the dump).
 * Read in two passes: class layouts and names first, then instances and arrays. Shallow sizes assume a 64-bit JVM
 * with compressed references and 8-byte alignment (12-byte object headers, 16-byte array headers).
 */
final class HeapGraph {
    private static final int STRING = 0x01;
    private static final int LOAD_CLASS = 0x02;
    private static final int HEAP_DUMP = 0x0C;
    private static final int HEAP_DUMP_SEGMENT = 0x1C;
    private static final int OBJECT = 2;
    static final long NONE = 0;

    private final Map<Long, String> strings = new HashMap<>();
    private final Map<Long, String> classNames = new HashMap<>();
    private final Map<Long, ClassLayout> layouts = new HashMap<>();
    /** Names of the object kinds: class names, "byte[]", ..., and "class X" for class objects (statics). */
    final List<String> kinds = new ArrayList<>();
    private final Map<String, Integer> kindIndex = new HashMap<>();
    final LongIndex index = new LongIndex();
    int[] kind = new int[1 << 16];
    int[] size = new int[1 << 16];
    long[] parent = new long[1 << 16];
    int count;
    private int idSize;

    /** Instance fields of one class (its own, not its superclass's), in dump order. */
    private record ClassLayout(long superId, int[] types) {}

    static HeapGraph read(Path file) throws IOException {
        HeapGraph g = new HeapGraph();
        try (DataInputStream in = open(file)) {
            g.pass(in, true);
        }
        try (DataInputStream in = open(file)) {
            g.pass(in, false);
        }
        return g;
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 20);
        return new DataInputStream(raw);
    }

    private void pass(DataInputStream in, boolean classes) throws IOException {
        while (in.readByte() != 0) { } // "JAVA PROFILE 1.0.2\0"
        idSize = in.readInt();
        in.readLong();
        while (true) {
            int tag;
            try {
                tag = in.readUnsignedByte();
            } catch (EOFException e) {
                return;
            }
            in.readInt();
            long length = in.readInt() & 0xFFFFFFFFL;
            if (classes && tag == STRING) {
                long id = id(in);
                byte[] b = new byte[(int) length - idSize];
                in.readFully(b);
                strings.put(id, new String(b, StandardCharsets.UTF_8));
            } else if (classes && tag == LOAD_CLASS) {
                in.readInt();
                long classId = id(in);
                in.readInt();
                classNames.put(classId, strings.getOrDefault(id(in), "?").replace('/', '.'));
            } else if (tag == HEAP_DUMP || tag == HEAP_DUMP_SEGMENT) {
                readSegment(in, length, classes);
            } else {
                in.skipNBytes(length);
            }
        }
    }

    private void readSegment(DataInputStream in, long length, boolean classes) throws IOException {
        long end = length;
        CountingInput c = new CountingInput(in);
        while (c.read < end) {
            int sub = c.u1();
            switch (sub) {
                case 0xFF, 0x05, 0x07 -> c.skip(idSize);
                case 0x01 -> c.skip(2L * idSize);
                case 0x02, 0x03, 0x08 -> c.skip(idSize + 8);
                case 0x04, 0x06 -> c.skip(idSize + 4);
                case 0x20 -> classDump(c, classes);
                case 0x21 -> instanceDump(c, classes);
                case 0x22 -> objectArrayDump(c, classes);
                case 0x23 -> primitiveArrayDump(c, classes);
                default -> throw new IOException("unknown heap dump sub-record 0x" + Integer.toHexString(sub));
            }
        }
    }

    private void classDump(CountingInput c, boolean classes) throws IOException {
        long id = c.id();
        c.skip(4);
        long superId = c.id();
        c.skip(5L * idSize + 4);
        int constants = c.u2();
        for (int i = 0; i < constants; i++) {
            c.skip(2);
            c.skip(valueSize(c.u1()));
        }
        int statics = c.u2();
        if (!classes) add(id, "class " + classNames.getOrDefault(id, "?"), 0);
        for (int i = 0; i < statics; i++) {
            c.skip(idSize);
            int type = c.u1();
            if (type == OBJECT) {
                long ref = c.id();
                if (!classes) reference(ref, id);
            } else {
                c.skip(valueSize(type));
            }
        }
        int fields = c.u2();
        int[] types = new int[fields];
        for (int i = 0; i < fields; i++) {
            c.skip(idSize);
            types[i] = c.u1();
        }
        if (classes) layouts.put(id, new ClassLayout(superId, types));
    }

    private void instanceDump(CountingInput c, boolean classes) throws IOException {
        long id = c.id();
        c.skip(4);
        long classId = c.id();
        int bytes = c.u4();
        if (classes) {
            c.skip(bytes);
            return;
        }
        add(id, classNames.getOrDefault(classId, "?"), align(12 + bytes));
        int read = 0;
        for (long k = classId; k != NONE && layouts.containsKey(k); k = layouts.get(k).superId()) {
            for (int type : layouts.get(k).types()) {
                if (type == OBJECT) {
                    reference(c.id(), id);
                    read += idSize;
                } else {
                    c.skip(valueSize(type));
                    read += valueSize(type);
                }
            }
        }
        c.skip(bytes - read);
    }

    private void objectArrayDump(CountingInput c, boolean classes) throws IOException {
        long id = c.id();
        c.skip(4);
        int n = c.u4();
        long classId = c.id();
        if (classes) {
            c.skip((long) n * idSize);
            return;
        }
        add(id, classNames.getOrDefault(classId, "Object[]"), align(16 + 4L * n));
        for (int i = 0; i < n; i++) {
            reference(c.id(), id);
        }
    }

    private void primitiveArrayDump(CountingInput c, boolean classes) throws IOException {
        long id = c.id();
        c.skip(4);
        int n = c.u4();
        int type = c.u1();
        c.skip((long) n * valueSize(type));
        if (!classes) add(id, primitiveName(type) + "[]", align(16 + (long) n * valueSize(type)));
    }

    /** Children met before their referrer are recorded as references to resolve later. */
    private final LongIndex pendingParents = new LongIndex();
    private long[] pendingParent = new long[1 << 12];

    private void reference(long child, long referrer) {
        if (child == NONE || layouts.containsKey(child)) return; // a class's statics are charged to the class
        int i = index.get(child);
        if (i >= 0) {
            if (parent[i] == NONE) parent[i] = referrer;
            return;
        }
        if (pendingParents.get(child) >= 0) return;
        int p = pendingParents.put(child, pendingParents.size());
        if (p >= pendingParent.length) pendingParent = java.util.Arrays.copyOf(pendingParent, p * 2);
        pendingParent[p] = referrer;
    }

    private int add(long id, String kindName, long bytes) {
        if (count == kind.length) {
            kind = java.util.Arrays.copyOf(kind, count * 2);
            size = java.util.Arrays.copyOf(size, count * 2);
            parent = java.util.Arrays.copyOf(parent, count * 2);
        }
        int i = index.put(id, count);
        kind[i] = kindIndex.computeIfAbsent(kindName, k -> {
            kinds.add(k);
            return kinds.size() - 1;
        });
        size[i] = (int) bytes;
        int p = pendingParents.get(id);
        parent[i] = p >= 0 ? pendingParent[p] : NONE;
        count++;
        return i;
    }

    private long id(DataInputStream in) throws IOException {
        return idSize == 8 ? in.readLong() : in.readInt() & 0xFFFFFFFFL;
    }

    private int valueSize(int type) {
        return switch (type) {
            case OBJECT -> idSize;
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> throw new IllegalArgumentException("unknown HPROF basic type " + type);
        };
    }

    private static String primitiveName(int type) {
        return switch (type) {
            case 4 -> "boolean";
            case 5 -> "char";
            case 6 -> "float";
            case 7 -> "double";
            case 8 -> "byte";
            case 9 -> "short";
            case 10 -> "int";
            default -> "long";
        };
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** Reads a heap dump segment's sub-records and counts the bytes read, to know where the segment ends. */
    private final class CountingInput {
        private final DataInputStream in;
        long read;

        CountingInput(DataInputStream in) {
            this.in = in;
        }

        int u1() throws IOException {
            read++;
            return in.readUnsignedByte();
        }

        int u2() throws IOException {
            read += 2;
            return in.readUnsignedShort();
        }

        int u4() throws IOException {
            read += 4;
            return in.readInt();
        }

        long id() throws IOException {
            read += idSize;
            return HeapGraph.this.id(in);
        }

        void skip(long n) throws IOException {
            read += n;
            in.skipNBytes(n);
        }
    }
}
