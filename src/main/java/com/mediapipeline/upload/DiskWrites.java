package com.mediapipeline.upload;

import com.sun.nio.file.ExtendedOpenOption;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * How upload bytes go to the storage folder's disk: with O_DIRECT where its file system takes it,
 * so that they travel from our buffer to the disk without a second copy into the page cache (see
 * bench/RESULTS.md for what that is worth), in aligned blocks from direct buffers that are reused
 * because allocating one costs more than a small PATCH. Each PATCH being written holds one block, and
 * two more while any of the {@code SHARED_EXTRA_BLOCKS} are free, so that two can be on their way to
 * the disk on writer threads while it fills the third: direct memory stays within 1 MiB per PATCH
 * plus 64 MiB, and a busy instance, whose disk has many writers anyway, degrades to plain writes.
 */
public final class DiskWrites {

    static final int BLOCK_SIZE = 1024 * 1024;
    private static final int MIN_ALIGNMENT = 4096;
    private static final int BLOCKS_KEPT = 64;
    private static final int EXTRA_BLOCKS_PER_WRITER = 2;
    private static final int SHARED_EXTRA_BLOCKS = 64;
    private static final Logger LOG = Logger.getLogger(DiskWrites.class.getName());

    private final Set<OpenOption> options;
    private final int alignment;
    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BLOCKS_KEPT);
    private final Semaphore extraBlocks = new Semaphore(SHARED_EXTRA_BLOCKS);
    private final Executor writerThreads;

    /**
     * Through the page cache, writes are synchronous (DSYNC): on a network file system another
     * instance's cache could otherwise write a fenced-out PATCH's bytes back to the server after its
     * fenced step, over a newer writer's bytes. Direct writes reach the file system at once anyway.
     */
    DiskWrites(boolean direct, int alignment, Executor writerThreads) {
        this.options = direct ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)
                : Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DSYNC);
        this.alignment = alignment;
        this.writerThreads = writerThreads;
    }

    /** Direct I/O if {@code wanted} and the folder's file system accepts it (tried on a scratch file), else the page cache. */
    public static DiskWrites forFolder(Path folder, boolean wanted, Executor writerThreads) throws IOException {
        return forFolder(folder, wanted, writerThreads, Files.getFileStore(folder).getBlockSize());
    }

    /**
     * A file system whose block is larger than ours (CephFS reports its 4 MiB objects) cannot take our
     * blocks with direct I/O: its bytes go through the page cache, in blocks aligned to a page.
     */
    static DiskWrites forFolder(Path folder, boolean wanted, Executor writerThreads, long blockSize) throws IOException {
        if (blockSize > BLOCK_SIZE) {
            if (wanted) {
                LOG.warning("The file system of " + folder + " has " + blockSize + "-byte blocks, more than the "
                        + BLOCK_SIZE + " bytes written at once: upload bytes go through the page cache");
            }
            return new DiskWrites(false, MIN_ALIGNMENT, writerThreads);
        }
        int alignment = (int) Math.max(MIN_ALIGNMENT, blockSize);
        if (!wanted) {
            return new DiskWrites(false, alignment, writerThreads);
        }
        Path probe = Files.createTempFile(folder, "direct-io", ".probe");
        try (FileChannel file = FileChannel.open(probe, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            file.write(ByteBuffer.allocateDirect(2 * alignment).alignedSlice(alignment).limit(alignment));
            return new DiskWrites(true, alignment, writerThreads);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warning("The file system of " + folder + " refuses direct I/O (" + e + "): upload bytes go through the page cache");
            return new DiskWrites(false, alignment, writerThreads);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    public boolean direct() {
        return options.contains(ExtendedOpenOption.DIRECT);
    }

    FileChannel open(Path data) throws IOException {
        return FileChannel.open(data, options);
    }

    /** A writer of the bytes that follow {@code start} in {@code file}, under {@code fence}; {@link #release} it when done. */
    AlignedWriter writer(FileChannel file, long start, Fence.Hold fence) throws IOException {
        List<ByteBuffer> blocks = new ArrayList<>(List.of(block()));
        while (blocks.size() <= EXTRA_BLOCKS_PER_WRITER && extraBlocks.tryAcquire()) {
            blocks.add(block());
        }
        try {
            return new AlignedWriter(file, fence, start, blocks, writerThreads, alignment);
        } catch (IOException | RuntimeException e) {
            giveBack(blocks);
            throw e;
        }
    }

    /** Takes back the writer's blocks for the next one; {@code BLOCKS_KEPT} at most are kept. */
    void release(AlignedWriter writer) {
        giveBack(writer.blocks());
    }

    private void giveBack(List<ByteBuffer> blocks) {
        extraBlocks.release(blocks.size() - 1);
        blocks.forEach(free::offer);
    }

    private ByteBuffer block() {
        ByteBuffer block = free.poll();
        return block != null ? block : block(ByteBuffer.allocateDirect(BLOCK_SIZE + alignment), alignment);
    }

    /**
     * The first {@code BLOCK_SIZE} bytes of {@code memory} that start on an {@code alignment} boundary.
     * The aligned slice alone holds {@code BLOCK_SIZE + alignment} bytes whenever the memory happens to
     * start on a boundary already (malloc hands back such an address now and then), so a block's size,
     * and with it where a writer hands blocks over, would depend on the native heap's layout.
     */
    static ByteBuffer block(ByteBuffer memory, int alignment) {
        return memory.alignedSlice(alignment).limit(BLOCK_SIZE).slice();
    }
}
