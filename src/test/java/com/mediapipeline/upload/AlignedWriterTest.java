package com.mediapipeline.upload;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Whole aligned blocks on a real file, opened with O_DIRECT and without, from any start and in any pieces. */
class AlignedWriterTest {

    @TempDir
    Path dir;

    final ExecutorService writerThreads = Executors.newCachedThreadPool();

    @AfterEach
    void stopWriters() {
        writerThreads.shutdown();
    }

    /** Generation 0 holds a fence that no lease ever took: these tests are about the blocks, not the fence. */
    private Fence.Hold unfenced() throws IOException {
        return new Fence().hold(dir, 0);
    }

    @ParameterizedTest(name = "direct I/O: {0}")
    @ValueSource(booleans = {true, false})
    void writesExactlyTheBytesGivenAfterAnUnalignedStart(boolean direct) throws IOException {
        DiskWrites disk = disk(direct);
        Path data = Files.write(dir.resolve("data"), bytes(10_000, 1));
        byte[] more = bytes(2 * DiskWrites.BLOCK_SIZE + 777, 2);
        Random pieces = new Random(3);
        try (FileChannel file = disk.open(data)) {
            AlignedWriter writer = disk.writer(file, 10_000, unfenced());
            for (int offset = 0; offset < more.length; ) {
                int length = Math.min(more.length - offset, 1 + pieces.nextInt(300_000));
                writer.write(more, offset, length);
                offset += length;
            }
            writer.finish();
            assertEquals(10_000 + more.length, writer.position());
            disk.release(writer);
        }
        byte[] expected = Arrays.copyOf(bytes(10_000, 1), 10_000 + more.length);
        System.arraycopy(more, 0, expected, 10_000, more.length);
        assertArrayEquals(expected, Files.readAllBytes(data));
    }

    @ParameterizedTest(name = "direct I/O: {0}")
    @ValueSource(booleans = {true, false})
    void aBlockBoundaryEndLeavesNoPadding(boolean direct) throws IOException {
        DiskWrites disk = disk(direct);
        Path data = Files.createFile(dir.resolve("data"));
        try (FileChannel file = disk.open(data)) {
            AlignedWriter writer = disk.writer(file, 0, unfenced());
            writer.write(bytes(DiskWrites.BLOCK_SIZE, 4), 0, DiskWrites.BLOCK_SIZE);
            writer.finish();
        }
        assertArrayEquals(bytes(DiskWrites.BLOCK_SIZE, 4), Files.readAllBytes(data));
    }

    @ParameterizedTest(name = "direct I/O: {0}")
    @ValueSource(booleans = {true, false})
    void aFileShorterThanTheStartIsRefused(boolean direct) throws IOException {
        DiskWrites disk = disk(direct);
        Path data = Files.write(dir.resolve("data"), bytes(100, 5));
        try (FileChannel file = disk.open(data)) {
            assertThrows(IOException.class, () -> disk.writer(file, 200, unfenced()));
        }
    }

    @ParameterizedTest(name = "direct I/O: {0}")
    @ValueSource(booleans = {true, false})
    void aBlockTheWriterThreadFailedToWriteFailsTheNextCall(boolean direct) throws IOException {
        List<Runnable> handedOver = new ArrayList<>();
        DiskWrites disk = DiskWrites.forFolder(dir, direct, handedOver::add);
        assumeTrue(disk.direct() == direct, "this file system refuses direct I/O");
        Path data = Files.createFile(dir.resolve("data"));
        FileChannel file = disk.open(data);
        AlignedWriter writer = disk.writer(file, 0, unfenced());
        writer.write(bytes(DiskWrites.BLOCK_SIZE + 10, 6), 0, DiskWrites.BLOCK_SIZE + 10);
        assertEquals(1, handedOver.size(), "a full block goes to the writer thread");

        file.close();
        handedOver.get(0).run();

        assertThrows(IOException.class, writer::finish);
        assertEquals(0, Files.size(data));
    }

    /** With a stalled disk the caller still fills a third block: two writes were in flight, not one. */
    @Test
    void twoBlocksAreOnTheirWayWhileTheCallerFillsTheThird() throws IOException {
        List<Runnable> handedOver = new ArrayList<>();
        DiskWrites disk = DiskWrites.forFolder(dir, false, handedOver::add);
        Path data = Files.createFile(dir.resolve("data"));
        byte[] bytes = bytes(2 * DiskWrites.BLOCK_SIZE + 5, 11);
        try (FileChannel file = disk.open(data)) {
            AlignedWriter writer = disk.writer(file, 0, unfenced());
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> writer.write(bytes, 0, bytes.length),
                    "the caller waited for the disk with only one block written");
            assertEquals(2, handedOver.size());

            handedOver.forEach(Runnable::run);
            writer.finish();
        }
        assertArrayEquals(bytes, Files.readAllBytes(data));
    }

    @Test
    void afterAFailedWriteEveryBlockComesBackOnce() throws IOException {
        DiskWrites disk = DiskWrites.forFolder(dir, false, Runnable::run);
        Path data = Files.createFile(dir.resolve("data"));
        FileChannel file = disk.open(data);
        AlignedWriter writer = disk.writer(file, 0, unfenced());
        file.close();

        byte[] bytes = bytes(3 * DiskWrites.BLOCK_SIZE, 10);
        assertThrows(IOException.class, () -> writer.write(bytes, 0, bytes.length));

        List<ByteBuffer> blocks = writer.blocks();
        Set<ByteBuffer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(blocks);
        assertEquals(3, blocks.size());
        assertEquals(3, distinct.size(), "a block would be handed out twice");
    }

    @Test
    void withASingleBlockTheCallerWritesItself() throws IOException {
        DiskWrites disk = disk(false);
        Path data = Files.createFile(dir.resolve("data"));
        byte[] bytes = bytes(3 * DiskWrites.BLOCK_SIZE + 5, 7);
        try (FileChannel file = disk.open(data)) {
            ByteBuffer only = ByteBuffer.allocateDirect(DiskWrites.BLOCK_SIZE + 4096).alignedSlice(4096);
            AlignedWriter writer = new AlignedWriter(file, unfenced(), 0, List.of(only), task -> {
                throw new AssertionError("a single block went to a writer thread");
            }, 4096);
            writer.write(bytes, 0, bytes.length);
            writer.finish();
        }
        assertArrayEquals(bytes, Files.readAllBytes(data));
    }

    @Test
    void writersThatFailedToStartGiveTheirExtraBlocksBack() throws IOException {
        List<Runnable> handedOver = new ArrayList<>();
        DiskWrites disk = DiskWrites.forFolder(dir, false, handedOver::add);
        Path data = Files.write(dir.resolve("data"), bytes(100, 8));
        try (FileChannel file = disk.open(data)) {
            for (int i = 0; i < 200; i++) {
                assertThrows(IOException.class, () -> disk.writer(file, 200, unfenced()));
            }
            AlignedWriter writer = disk.writer(file, 100, unfenced());
            writer.write(bytes(DiskWrites.BLOCK_SIZE, 9), 0, DiskWrites.BLOCK_SIZE);
            assertEquals(1, handedOver.size(), "the writer had no spare block to fill while one is written");
        }
    }

    private DiskWrites disk(boolean direct) throws IOException {
        DiskWrites disk = DiskWrites.forFolder(dir, direct, writerThreads);
        assumeTrue(disk.direct() == direct, "this file system refuses direct I/O");
        return disk;
    }

    private static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
