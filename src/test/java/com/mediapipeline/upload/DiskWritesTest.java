package com.mediapipeline.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether upload bytes really bypass the page cache: the start-up probe is checked against {@code dd
 * oflag=direct} on the same folder, and the open file's flags are read back from the kernel. And the
 * blocks the bytes go through: {@code BLOCK_SIZE} bytes each, on a boundary.
 */
class DiskWritesTest {

    /** O_DIRECT on Linux x86-64 and aarch64, as {@code /proc/<pid>/fdinfo} shows flags (octal). */
    private static final int O_DIRECT = 040000;

    @TempDir
    Path dir;

    @Test
    void theProbeChoosesDirectIoExactlyWhereDdCanUseIt() throws Exception {
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + dir.resolve("dd-probe"), "bs=4096", "count=1",
                "oflag=direct").redirectErrorStream(true).start();
        dd.getInputStream().readAllBytes();
        boolean ddCould = dd.waitFor() == 0;

        assertEquals(ddCould, DiskWrites.forFolder(dir, true, Runnable::run).direct());
    }

    @Test
    void directWritesOpenTheFileWithODirect() throws IOException {
        DiskWrites disk = DiskWrites.forFolder(dir, true, Runnable::run);
        assumeTrue(disk.direct(), "this file system refuses direct I/O");
        Path data = Files.createFile(dir.resolve("data"));
        try (FileChannel ignored = disk.open(data)) {
            assertTrue((openFlags(data) & O_DIRECT) != 0, "the data file is open without O_DIRECT");
        }
    }

    @Test
    void turnedOffTheWritesGoThroughThePageCache() throws IOException {
        DiskWrites disk = DiskWrites.forFolder(dir, false, Runnable::run);
        Path data = Files.createFile(dir.resolve("data"));
        try (FileChannel ignored = disk.open(data)) {
            assertFalse(disk.direct());
            assertEquals(0, openFlags(data) & O_DIRECT, "the data file is open with O_DIRECT");
        }
    }

    /**
     * A file system that reports blocks larger than ours (CephFS: 4 MiB) gets its bytes through the page
     * cache in page-aligned blocks; aligned to its block, every PATCH failed with IllegalArgumentException.
     */
    @ParameterizedTest(name = "direct I/O wanted: {0}")
    @ValueSource(booleans = {true, false})
    void blocksLargerThanOursGoThroughThePageCache(boolean wanted) throws IOException {
        DiskWrites disk = DiskWrites.forFolder(dir, wanted, Runnable::run, 4L * DiskWrites.BLOCK_SIZE);
        assertFalse(disk.direct());
        Path data = Files.write(dir.resolve("data"), new byte[5000]);
        byte[] more = new byte[3 * DiskWrites.BLOCK_SIZE + 1234];
        Arrays.fill(more, (byte) 7);
        try (FileChannel file = disk.open(data)) {
            AlignedWriter writer = disk.writer(file, 5000, new Fence().hold(dir, 0));
            writer.write(more, 0, more.length);
            writer.finish();
            disk.release(writer);
        }
        byte[] stored = Files.readAllBytes(data);
        assertEquals(5000 + more.length, stored.length);
        assertArrayEquals(more, Arrays.copyOfRange(stored, 5000, stored.length));
    }

    /** Memory that starts on a boundary, as malloc sometimes returns it, and memory that does not. */
    @ParameterizedTest(name = "memory {0} bytes past a boundary")
    @ValueSource(ints = {0, 16, 4080})
    void aBlockIsBlockSizeBytesOnABoundaryWhereverItsMemoryStarts(int offset) {
        ByteBuffer memory = ByteBuffer.allocateDirect(DiskWrites.BLOCK_SIZE + 3 * 4096).alignedSlice(4096)
                .position(offset).limit(offset + DiskWrites.BLOCK_SIZE + 4096).slice();

        ByteBuffer block = DiskWrites.block(memory, 4096);

        assertEquals(DiskWrites.BLOCK_SIZE, block.capacity());
        assertEquals(0, block.alignmentOffset(0, 4096));
    }

    /** The flags of this process' one open descriptor of {@code file}, from the kernel's fdinfo. */
    private static int openFlags(Path file) throws IOException {
        Path descriptors = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(descriptors), "no /proc here to read open flags from");
        Path target = file.toRealPath();
        try (Stream<Path> open = Files.list(descriptors)) {
            Path fd = open.filter(link -> {
                try {
                    return Files.readSymbolicLink(link).equals(target);
                } catch (IOException gone) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new AssertionError(file + " is not open"));
            String flags = Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString())).stream()
                    .filter(line -> line.startsWith("flags:")).findFirst().orElseThrow();
            return Integer.parseInt(flags.substring("flags:".length()).trim(), 8);
        }
    }
}
