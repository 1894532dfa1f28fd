package com.mediapipeline.upload;

import me.desair.tus.server.upload.UploadInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store on a real folder: what a crash, a hostile info file or a dropped client leaves behind. */
class UploadFileStoreTest {

    @TempDir
    Path dir;

    final ExecutorService writerThreads = Executors.newCachedThreadPool();
    final List<String> events = new ArrayList<>();
    boolean lockLost;
    long generation = 1;
    UploadFileStore store;

    @AfterEach
    void stopWriters() {
        writerThreads.shutdown();
    }

    @BeforeEach
    void store() throws IOException {
        store = new UploadFileStore(dir, DiskWrites.forFolder(dir, true, writerThreads), new RecordingListener(), new WriteGuard() {
            @Override
            public OptionalLong generation(String uploadId) {
                return OptionalLong.of(generation);
            }

            @Override
            public void confirm(String uploadId) throws LockLostException {
                if (lockLost) {
                    throw new LockLostException(uploadId);
                }
            }
        });
        store.setIdFactory(new CanonicalIds());
    }

    @Test
    void bytesACrashedPatchWrotePastTheRecordedOffsetAreCutOff() throws Exception {
        UploadInfo info = created(10);
        store.append(info, stream("hello"));
        // a process killed after writing but before recording the new offset leaves this behind
        Files.write(data(info), "XYZ".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        UploadInfo resumed = store.getUploadInfo(info.getId());
        assertEquals(5, resumed.getOffset());
        store.append(resumed, stream("world"));

        assertArrayEquals("helloworld".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(data(info)));
        assertEquals(10, store.getUploadInfo(info.getId()).getOffset());
    }

    /** Resumes at offsets that split the disk's blocks, PATCHes longer than the writer's block. */
    @Test
    void appendsAtAnyOffsetStoreExactlyTheBytesSent() throws Exception {
        byte[] sent = new byte[3 * DiskWrites.BLOCK_SIZE + 12_345];
        new java.util.Random(7).nextBytes(sent);
        UploadInfo info = created(sent.length);
        int[] ends = {1, 4095, 4097, 5000, DiskWrites.BLOCK_SIZE + 3, 3 * DiskWrites.BLOCK_SIZE, sent.length};
        int offset = 0;
        for (int end : ends) {
            store.append(store.getUploadInfo(info.getId()), new ByteArrayInputStream(sent, offset, end - offset));
            offset = end;
            assertEquals(end, Files.size(data(info)));
        }
        assertArrayEquals(sent, Files.readAllBytes(data(info)));
        assertEquals(sent.length, store.getUploadInfo(info.getId()).getOffset());
    }

    @Test
    void aClientThatDropsMidPatchKeepsWhatArrived() throws Exception {
        UploadInfo info = created(1_000_000);
        InputStream dropping = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ >= 300_000) {
                    throw new IOException("connection reset");
                }
                return 7;
            }
        };
        assertThrows(IOException.class, () -> store.append(info, dropping));
        assertEquals(300_000, store.getUploadInfo(info.getId()).getOffset());
        assertEquals(300_000, Files.size(data(info)));
    }

    /** A PATCH whose lock passed to another request (it stalled) stops writing and records nothing. */
    @Test
    void aPatchThatLostItsLockRecordsNothing() throws Exception {
        UploadInfo info = created(1_000_000);
        store.append(info, new ByteArrayInputStream(new byte[1000]));
        InputStream stallsThenResumes = new InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent++ == 300_000) {
                    lockLost = true;
                }
                return 7;
            }
        };
        assertThrows(WriteGuard.LockLostException.class, () -> store.append(store.getUploadInfo(info.getId()), stallsThenResumes));
        assertEquals(1000, store.getUploadInfo(info.getId()).getOffset());
        assertTrue(Files.size(data(info)) <= 300_000 + 1000, "no block was written after the lock was lost");
    }

    /**
     * A newer lease takes over while this PATCH's client stalls (here: inside its body's read), then
     * the client drops. The old writer writes, cuts, forces and records nothing after that.
     */
    @Test
    void aWriterWhoseLeasePassedOnNeverTouchesTheUploadAgain() throws Exception {
        int size = 3 * DiskWrites.BLOCK_SIZE;
        UploadInfo info = created(size);
        byte[] newer = new byte[size];
        new java.util.Random(11).nextBytes(newer);
        InputStream stallsAndDrops = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent == DiskWrites.BLOCK_SIZE + DiskWrites.BLOCK_SIZE / 2) {
                    generation = 2;
                    try {
                        store.append(store.getUploadInfo(info.getId()), new ByteArrayInputStream(newer));
                    } catch (me.desair.tus.server.exception.TusException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new IOException("connection reset");
                }
                sent++;
                return 1;
            }
        };
        assertThrows(WriteGuard.LockLostException.class, () -> store.append(info, stallsAndDrops));
        assertArrayEquals(newer, Files.readAllBytes(data(info)));
        assertEquals(size, store.getUploadInfo(info.getId()).getOffset());
        assertEquals("stored " + size, events.get(events.size() - 1), "the old writer reported nothing after the new one");
    }

    /**
     * The library reads an upload, changes its expiry and saves it whole. A copy read before
     * another lease recorded bytes must not take them back.
     */
    @Test
    void aStaleMetadataUpdateNeverTakesBackRecordedBytes() throws Exception {
        UploadInfo info = created(10);
        UploadInfo readEarly = store.getUploadInfo(info.getId());
        store.append(store.getUploadInfo(info.getId()), stream("hello"));
        generation = 2;
        readEarly.updateExpiration(60_000);
        store.update(readEarly);
        assertEquals(5, store.getUploadInfo(info.getId()).getOffset());
    }

    /** Bytes reported while streaming but never recorded (the lease was lost) are taken back in the status. */
    @Test
    void aLeaseLostMidStreamPutsTheStatusBackToTheRecordedOffset() throws Exception {
        UploadInfo info = created(3_000_000);
        InputStream body = new InputStream() {
            private int sent;

            @Override
            public int read() {
                if (sent++ == 600_000) {
                    lockLost = true;
                }
                return 7;
            }
        };
        assertThrows(WriteGuard.LockLostException.class, () -> store.append(info, body));
        assertTrue(events.contains("progressed 524288"), events.toString());
        assertEquals("reverted 0", events.get(events.size() - 1));
    }

    /** Leases only grow: one older than the fence's is refused before it writes a byte. */
    @Test
    void anOlderLeaseIsRefusedBeforeItWrites() throws Exception {
        UploadInfo info = created(10);
        generation = 5;
        store.append(info, stream("hello"));
        generation = 3;
        assertThrows(WriteGuard.LockLostException.class, () -> store.append(store.getUploadInfo(info.getId()), stream("world")));
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(data(info)));
        assertEquals(5, store.getUploadInfo(info.getId()).getOffset());
    }

    /** A body that fails its check is cut off before the record: offset, file and listener stay where they were. */
    @Test
    void aBodyThatFailsItsCheckIsNeitherRecordedNorAnnounced() throws Exception {
        UploadInfo info = created(10);
        store.append(info, stream("hello"));
        events.clear();
        assertThrows(me.desair.tus.server.exception.UploadChecksumMismatchException.class,
                () -> store.append(store.getUploadInfo(info.getId()), stream("world"), () -> {
                    throw new me.desair.tus.server.exception.UploadChecksumMismatchException("mismatch");
                }, false));
        assertEquals(5, store.getUploadInfo(info.getId()).getOffset());
        assertEquals(5, Files.size(data(info)));
        assertEquals("reverted 5", events.get(events.size() - 1), "the status goes back to the recorded offset");
        assertTrue(events.stream().noneMatch(event -> event.equals("stored 10")), events.toString());
    }

    /** A delete while bytes stream in: the PATCH ends with 410 and the folder does not come back. */
    @Test
    void aRemovalWhileStreamingEndsThePatchAndStaysRemoved() throws Exception {
        UploadInfo info = created(3 * DiskWrites.BLOCK_SIZE);
        Path folder = data(info).getParent();
        InputStream removedMidway = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ == DiskWrites.BLOCK_SIZE + 10) {
                    try {
                        store.remove(store.getUploadInfo(info.getId()), "deleted");
                    } catch (me.desair.tus.server.exception.TusException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return 2;
            }
        };
        assertThrows(UploadDeletedException.class, () -> store.append(info, removedMidway));
        assertFalse(Files.exists(folder));
        try (java.util.stream.Stream<Path> left = Files.list(folder.getParent())) {
            assertEquals(List.of(), left.toList(), "no remnant of the removal is left");
        }
    }

    @Test
    void progressIsReportedAsBlocksAreWrittenAndStoredOnceAtTheEnd() throws Exception {
        UploadInfo info = created(1024 * 1024);
        store.append(info, new ByteArrayInputStream(new byte[1024 * 1024]));
        List<String> progress = events.stream().filter(e -> e.startsWith("progressed")).toList();
        assertTrue(progress.size() >= 4, progress.toString());
        assertEquals("progressed 1048576", progress.get(progress.size() - 1));
        assertEquals("stored 1048576", events.get(events.size() - 1));
    }

    @Test
    void bytesBeyondTheDeclaredLengthAreNotStored() throws Exception {
        UploadInfo info = created(5);
        store.append(info, stream("hello world"));
        assertEquals(5, store.getUploadInfo(info.getId()).getOffset());
        assertEquals(5, Files.size(data(info)));
    }

    /** The info file is read through an allow-list: any other class in it is refused unread. */
    @Test
    void infoFileWithAForeignClassIsRefused() throws Exception {
        UploadInfo info = created(5);
        Gadget.triggered = false;
        try (OutputStream file = Files.newOutputStream(dir.resolve("uploads").resolve(info.getId().toString()).resolve("info"));
             ObjectOutputStream out = new ObjectOutputStream(file)) {
            out.writeObject(new Gadget());
        }
        assertNull(store.getUploadInfo(info.getId()));
        assertFalse(Gadget.triggered, "the foreign class was never deserialized");
    }

    @Test
    void terminationRemovesTheFolderAndTellsTheListener() throws Exception {
        UploadInfo info = created(5);
        store.terminateUpload(info);
        assertFalse(Files.exists(dir.resolve("uploads").resolve(info.getId().toString())));
        assertNull(store.getUploadInfo(info.getId()));
        assertEquals("removed " + info.getId() + " deleted", events.get(events.size() - 1));
    }

    /** A body said to end an upload of unknown length gives it the length it has, and completes it. */
    @Test
    void aBodyThatEndsAnUploadOfUnknownLengthCompletesIt() throws Exception {
        UploadInfo info = store.create(new UploadInfo(), "acme");
        store.append(info, stream("hello"), BodyCheck.NONE, false);
        assertTrue(store.getUploadInfo(info.getId()).isUploadInProgress(), "a body that does not say so ends nothing");
        UploadInfo ended = store.append(store.getUploadInfo(info.getId()), stream("world"), BodyCheck.NONE, true);
        assertEquals(10, ended.getLength());
        assertFalse(store.getUploadInfo(info.getId()).isUploadInProgress());
        assertEquals(10, store.getUploadInfo(info.getId()).getLength());
    }

    /** A PATCH reads its upload's info file once: every later read in its visit is a copy of that read, or of its own writes. */
    @Test
    void aVisitReadsTheInfoFileOnceAndThenItsOwnWrites() throws Exception {
        UploadInfo info = created(10);
        Path file = data(info).resolveSibling("info");
        try (UploadFileStore.Scope visit = store.visit(info.getId().toString(), "acme")) {
            UploadInfo first = store.getUploadInfo(info.getId());
            Files.delete(file);
            UploadInfo again = store.getUploadInfo(info.getId());
            assertEquals(first, again);
            again.setOffset(3L);
            assertEquals(0, store.getUploadInfo(info.getId()).getOffset(), "each read is a copy of its own");

            store.append(store.getUploadInfo(info.getId()), stream("hello"));
            assertEquals(5, store.getUploadInfo(info.getId()).getOffset());
        }
        assertEquals(5, store.getUploadInfo(info.getId()).getOffset(), "what the visit wrote is on disk");
    }

    /** The visit's one read is made under its lease's fence: from then on an older lease records nothing. */
    @Test
    void aVisitUnderALeaseTakesTheFenceWithItsFirstRead() throws Exception {
        UploadInfo info = created(10);
        generation = 2;
        try (UploadFileStore.Scope visit = store.visit(info.getId().toString(), "acme")) {
            store.getUploadInfo(info.getId());
            generation = 1;
            UploadInfo stale = store.getUploadInfo(info.getId());
            // on another thread (no visit there), an older lease is refused before it writes
            ExecutorService older = Executors.newSingleThreadExecutor();
            try {
                Future<?> refused = older.submit(() -> store.append(stale, stream("hello")));
                Throwable cause = assertThrows(ExecutionException.class, refused::get).getCause();
                assertTrue(cause instanceof WriteGuard.LockLostException, cause.toString());
            } finally {
                older.shutdown();
            }
        }
        assertEquals(0, Files.size(data(info)));
    }

    /**
     * A PATCH by another business names an upload that is not its own: it sees none, and its newer lease
     * (a lock of its own business's) must not take the fence from the owner's writer.
     */
    @Test
    void aVisitByAnotherBusinessSeesNoUploadAndLeavesTheFenceToTheOwner() throws Exception {
        UploadInfo info = created(10);
        generation = 1;
        UploadInfo owners = store.getUploadInfo(info.getId());
        generation = 2;
        try (UploadFileStore.Scope visit = store.visit(info.getId().toString(), "globex")) {
            assertNull(store.getUploadInfo(info.getId()));
        }
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try {
            generation = 1;
            owner.submit(() -> store.append(owners, stream("hello"))).get();
        } finally {
            owner.shutdown();
        }
        assertEquals(5, Files.size(data(info)));
    }

    private UploadInfo created(long length) throws IOException {
        UploadInfo info = new UploadInfo();
        info.setLength(length);
        return store.create(info, "acme");
    }

    private Path data(UploadInfo info) {
        return store.dataFile(new UploadId(info.getId().toString()));
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Stands for a deserialization gadget: reading it would run code. */
    static class Gadget implements Serializable {
        static boolean triggered;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            triggered = true;
        }
    }

    private final class RecordingListener implements UploadListener {
        @Override
        public void created(UploadInfo info, String creator) {
            events.add("created " + info.getId());
        }

        @Override
        public void progressed(UploadInfo info, long offset, long generation) {
            events.add("progressed " + offset);
        }

        @Override
        public void stored(UploadInfo info, long received, long generation) {
            events.add("stored " + info.getOffset());
        }

        @Override
        public void reverted(UploadInfo info, long generation) {
            events.add("reverted " + info.getOffset());
        }

        @Override
        public void failed(UploadInfo info, String reason, long generation) {
            events.add("failed " + reason);
        }

        @Override
        public void removed(String business, String uploadId, String reason) {
            events.add("removed " + uploadId + " " + reason);
        }
    }
}
