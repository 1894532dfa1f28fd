package com.mediapipeline.upload;

import me.desair.tus.server.exception.MaxUploadLengthExceededException;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.exception.UploadNotFoundException;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.UploadType;
import me.desair.tus.server.upload.disk.DiskStorageService;
import org.apache.commons.io.FileUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.StreamCorruptedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * tus-java-server's disk layout ({@code uploads/<id>/info|data}) with what its 1.0.0-3.0 store
 * lacks: info files are read through a class allow-list and replaced atomically, an append first
 * cuts off bytes a crashed PATCH wrote past the recorded offset, bytes are reported as they stream
 * in and written in aligned blocks ({@link DiskWrites}) only while the request still owns the
 * upload, and a disk failure marks the upload failed without losing what was recorded before.
 */
public class UploadFileStore extends DiskStorageService {

    static final String DATA_FILE = "data";
    private static final String INFO_FILE = "info";
    private static final String REMOVED = ".removed-";
    private static final int READ_SIZE = 256 * 1024;
    private static final Logger LOG = Logger.getLogger(UploadFileStore.class.getName());

    /** Exactly the classes an UploadInfo is made of: an info file naming any other is refused. */
    static final ObjectInputFilter INFO_CLASSES = ObjectInputFilter.Config.createFilter(
            "me.desair.tus.server.upload.UploadInfo;me.desair.tus.server.upload.UploadId;"
                    + "me.desair.tus.server.upload.UploadType;java.lang.Enum;java.lang.Number;java.lang.Long;"
                    + "java.lang.String;java.util.UUID;java.util.LinkedList;java.util.ArrayList;"
                    + "maxdepth=8;maxrefs=10000;maxbytes=1048576;!*");

    private final Path uploadsDir;
    private final UploadListener listener;
    private final WriteGuard guard;
    private final DiskWrites disk;
    private final Fence fence = new Fence();
    private final ThreadLocal<Visit> visits = new ThreadLocal<>();

    /**
     * One request's view of one upload's info file: the bytes it read, under its lease's fence when it
     * holds one, or last wrote itself. The library's validators and handlers each read the info again.
     */
    private static final class Visit {
        private final String uploadId;
        private final String business;
        private Fence.Hold fenced;
        private byte[] info;

        Visit(String uploadId, String business) {
            this.uploadId = uploadId;
            this.business = business;
        }
    }

    /** A visit's end, without checked exceptions but I/O ones. */
    public interface Scope extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    public UploadFileStore(Path storageDir, DiskWrites disk, UploadListener listener, WriteGuard guard) {
        super(storageDir.toString());
        this.uploadsDir = storageDir.resolve("uploads");
        this.disk = disk;
        this.listener = listener;
        this.guard = guard;
    }

    /** The upload's TUS info, or null for an id that has no upload. */
    public UploadInfo info(UploadId id) throws IOException {
        return getUploadInfo(id.forTus());
    }

    /** Where an upload's bytes are, or null for an id that has no upload. */
    public Path dataFile(UploadId id) {
        Path folder = directory(id);
        return Files.isDirectory(folder) ? folder.resolve(DATA_FILE) : null;
    }

    /** The ids of every upload folder, for the cleanup sweep. */
    public List<UploadId> ids() throws IOException {
        if (!Files.isDirectory(uploadsDir)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(uploadsDir)) {
            return folders.map(folder -> UploadId.parse(folder.getFileName().toString())).flatMap(Optional::stream).toList();
        }
    }

    /** When the upload's folder last changed: its last byte written, or its creation. */
    public Instant lastWrite(UploadId id) throws IOException {
        Path folder = directory(id);
        Path data = folder.resolve(DATA_FILE);
        return Files.getLastModifiedTime(Files.exists(data) ? data : folder).toInstant();
    }

    /** Removes a folder that never became an upload (no info file: a crash during creation). */
    public void removeFolder(UploadId id) throws IOException {
        FileUtils.deleteDirectory(directory(id).toFile());
    }

    /**
     * Until the scope closes, the current thread reads the upload's info file once, or, holding a lease,
     * twice: to see whose it is, then under the lease's fence (taken then, so that no older lease records
     * anything after that read); every later read is a copy of what it read or last wrote. For a PATCH, whose validators and
     * handlers each read the info. Only a visit by the upload's own business takes the fence: another's
     * is answered as if there were no upload, and must not fence out the owner's writer.
     */
    public Scope visit(String uploadId, String business) {
        Visit visit = new Visit(uploadId, business);
        visits.set(visit);
        return () -> {
            visits.remove();
            if (visit.fenced != null) {
                visit.fenced.close();
            }
        };
    }

    @Override
    public UploadInfo getUploadInfo(me.desair.tus.server.upload.UploadId id) throws IOException {
        Visit visit = visits.get();
        if (id == null || visit == null || !visit.uploadId.equals(id.toString())) {
            return decode(id, read(id));
        }
        if (visit.info == null) {
            visit.info = firstRead(visit, id);
        }
        return decode(id, visit.info);
    }

    private byte[] firstRead(Visit visit, me.desair.tus.server.upload.UploadId id) throws IOException {
        OptionalLong lease = guard.generation(id.toString());
        if (lease.isEmpty()) {
            return read(id);
        }
        byte[] unfenced = read(id);
        if (unfenced == null || !visit.business.equals(decode(id, unfenced).getOwnerKey())) {
            return null;
        }
        try {
            visit.fenced = fence.hold(directory(id), lease.getAsLong());
            visit.fenced.take();
            return visit.fenced.run(() -> read(id));
        } catch (Fence.GoneException e) {
            return null;
        }
    }

    /** The bytes of the upload's info file, or null for an id that has no upload. */
    private byte[] read(me.desair.tus.server.upload.UploadId id) throws IOException {
        try {
            return id == null ? null : Files.readAllBytes(directory(id).resolve(INFO_FILE));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static UploadInfo decode(me.desair.tus.server.upload.UploadId id, byte[] info) throws IOException {
        if (info == null) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(info))) {
            in.setObjectInputFilter(INFO_CLASSES);
            return (UploadInfo) in.readObject();
        } catch (InvalidClassException | ClassNotFoundException | ClassCastException e) {
            LOG.severe("Refusing the info file of upload " + id + ": " + e.getMessage());
            return null;
        } catch (EOFException | StreamCorruptedException e) {
            // an info file cut short (a power cut right after creation): the upload never was
            LOG.warning("Unreadable info file of upload " + id + ": " + e);
            return null;
        }
    }

    @Override
    public UploadInfo create(UploadInfo info, String ownerKey) throws IOException {
        return create(info, ownerKey, null);
    }

    /** A new upload of the business, made by this user: the info file itself stays the library's own class. */
    public UploadInfo create(UploadInfo info, String ownerKey, String creator) throws IOException {
        if (ownerKey == null) {
            throw new IllegalStateException("An upload is created only for an authenticated business");
        }
        UploadInfo created = super.create(info, ownerKey);
        listener.created(created, creator);
        return created;
    }

    /**
     * tus-java-server's metadata updates (expiry, upload type, deferred length): replaced atomically,
     * but not forced to disk. A power cut can only take such a change back, and what it carries about
     * the bytes is what the last {@link #append} already made durable. A concatenation that just
     * completed is the exception: its bytes are new, assembled here once, and announced as complete.
     * Under a lease (a PATCH, an assembly) the update is fenced like the lease's writes.
     */
    @Override
    public void update(UploadInfo info) throws IOException, UploadNotFoundException {
        boolean completedConcatenation = UploadType.CONCATENATED.equals(info.getUploadType()) && !info.isUploadInProgress();
        OptionalLong lease = guard.generation(info.getId().toString());
        Fence.Step<Boolean> step = () -> {
            boolean assembled = completedConcatenation && materialize(info, directory(info.getId()).resolve(DATA_FILE));
            save(info, completedConcatenation);
            return assembled;
        };
        boolean assembled;
        try {
            if (lease.isEmpty()) {
                // no lease: a creation's own updates, or those of completed uploads (a final's parts):
                // nothing that races a writer of the offset they carry
                assembled = step.run();
            } else {
                try (Fence.Hold fenced = fence.hold(directory(info.getId()), lease.getAsLong())) {
                    fenced.take();
                    // only an assembly moves the offset in an update; any other move means a stale copy
                    assembled = fenced.run(() -> (completedConcatenation || recordsTheSameOffset(info)) && step.run());
                }
            }
        } catch (Fence.GoneException | NoSuchFileException e) {
            throw new UploadNotFoundException("The upload " + info.getId() + " was not found");
        }
        if (assembled) {
            listener.stored(info, info.getLength(), lease.orElse(UploadListener.NO_LEASE));
        }
    }

    /**
     * tus-java-server reads an upload, changes its metadata, and saves it whole: a copy read before
     * another request recorded more bytes would take them back. Such a stale update is dropped (it
     * only refreshed the expiry, which the recording request refreshed too).
     */
    private boolean recordsTheSameOffset(UploadInfo info) throws IOException {
        UploadInfo onDisk = getUploadInfo(info.getId());
        if (onDisk != null && !onDisk.getOffset().equals(info.getOffset())) {
            LOG.fine(() -> "Dropped a metadata update of upload " + info.getId() + " read before offset " + onDisk.getOffset());
            return false;
        }
        return true;
    }

    /** Replaces the info file in one step; a folder that is gone fails with NoSuchFileException. */
    private void save(UploadInfo info, boolean durable) throws IOException {
        Path dir = directory(info.getId());
        Path temp = dir.resolve(INFO_FILE + ".tmp");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(info);
        }
        Files.write(temp, bytes.toByteArray());
        if (durable) {
            try (FileChannel written = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                written.force(true);
            }
        }
        // a crash leaves either the old info or the new one, never half of one
        Files.move(temp, dir.resolve(INFO_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Visit visit = visits.get();
        if (visit != null && visit.uploadId.equals(info.getId().toString())) {
            visit.info = bytes.toByteArray();
        }
    }

    /** tus-java-server's append; our PATCH handlers call {@link #append(UploadInfo, InputStream, BodyCheck, boolean)}. */
    @Override
    public UploadInfo append(UploadInfo info, InputStream body) throws IOException, TusException {
        return append(info, body, BodyCheck.NONE, false);
    }

    /**
     * Appends the body under the current request's lease: every write, cut, force and record is
     * fenced ({@link Fence}), so a request whose lease passed on leaves the upload alone, whatever
     * way it ends. {@code check} decides before anything is recorded or announced.
     *
     * @param expected the upload as the request found it: its offset is the one the client sent
     * @param ends     the client says the upload ends with this body: an upload whose length is not
     *                 known yet gets the length it has once the whole body is in
     */
    public UploadInfo append(UploadInfo expected, InputStream body, BodyCheck check, boolean ends) throws IOException, TusException {
        String id = expected.getId().toString();
        long generation = guard.generation(id).orElseThrow(() -> new WriteGuard.LockLostException(id));
        try (Fence.Hold fenced = fence.hold(directory(expected.getId()), generation)) {
            fenced.take();
            UploadInfo info = fenced.run(() -> getUploadInfo(expected.getId()));
            if (info == null) {
                throw new UploadDeletedException(expected.getId());
            }
            if (!info.hasLength() && expected.hasLength()) {
                // a deferred length that this request declares: recorded with its bytes
                info.setLength(expected.getLength());
            }
            if (!info.getOffset().equals(expected.getOffset())) {
                // another request recorded bytes after this one read the offset: the client must ask
                // again, and the status learns of them now in case that request could not tell it
                if (info.isUploadInProgress()) {
                    listener.reverted(info, fenced.generation());
                }
                throw new OffsetMismatch(info.getOffset(), Long.toString(expected.getOffset()));
            }
            return appendFenced(info, body, check, ends, fenced);
        } catch (Fence.GoneException | NoSuchFileException e) {
            throw new UploadDeletedException(expected.getId());
        } catch (WriteGuard.LockLostException lost) {
            revertStatus(expected.getId(), generation);
            throw lost;
        }
    }

    /**
     * This request reported bytes as they streamed in and then lost its lease before recording them:
     * the status goes back to what is recorded, unless a newer lease already wrote it (the listener
     * drops reports of older generations), since the new holder may fail before it writes anything.
     */
    private void revertStatus(me.desair.tus.server.upload.UploadId id, long generation) throws IOException {
        // from the disk, not the visit's copy: the new holder may have recorded more since
        UploadInfo recorded = decode(id, read(id));
        if (recorded != null && recorded.isUploadInProgress()) {
            listener.reverted(recorded, generation);
        }
    }

    private UploadInfo appendFenced(UploadInfo info, InputStream body, BodyCheck check, boolean ends, Fence.Hold fenced)
            throws IOException, TusException {
        try (FileChannel file = disk.open(directory(info.getId()).resolve(DATA_FILE))) {
            // bytes past the recorded offset come from a PATCH that crashed before recording them
            storing(info, fenced, file, () -> fenced.run(() -> file.truncate(info.getOffset())));
            AlignedWriter writer = storing(info, fenced, file, () -> disk.writer(file, info.getOffset(), fenced));
            try {
                IOException clientFailure = copy(info, body, file, writer, fenced);
                boolean overran = false;
                if (ends && clientFailure == null && writer.position() == limit(info)) {
                    // a body said to end the upload ends it only if it ends here, at the upload's limit
                    try {
                        overran = body.read() >= 0;
                    } catch (IOException clientGone) {
                        clientFailure = clientGone;
                    }
                }
                storing(info, fenced, file, () -> {
                    writer.finish();
                    return fenced.run(() -> {
                        file.force(false);
                        return null;
                    });
                });
                verify(info, check, file, fenced);
                if (ends && clientFailure == null && !overran && !info.hasLength()) {
                    CreationPost.setLength(info, writer.position());
                }
                record(info, writer.position(), fenced);
                if (clientFailure != null) {
                    throw new ClientGoneException(clientFailure);
                }
                if (overran) {
                    // the bytes within the limit are kept: a length's are the upload, a maximum's can be resumed from
                    throw info.hasLength() ? new PastLength("The body runs past the upload's length of " + info.getLength(), false)
                            : new MaxUploadLengthExceededException("The body runs past the maximum of " + getMaxUploadSize());
                }
            } finally {
                disk.release(writer);
            }
        }
        return info;
    }

    /** A body that does not match its checksum is cut off again before anyone hears of it. */
    private void verify(UploadInfo info, BodyCheck check, FileChannel file, Fence.Hold fenced) throws IOException, TusException {
        try {
            check.verify();
        } catch (TusException mismatch) {
            storing(info, fenced, file, () -> fenced.run(() -> {
                file.truncate(info.getOffset());
                file.force(false);
                return null;
            }));
            listener.reverted(info, fenced.generation());
            throw mismatch;
        }
    }

    /**
     * tus-java-server calls this after any error of a request to "remove the bytes it wrote". Our
     * appends never record bytes that a request did not get through with (a failed checksum is cut
     * off before the record), so there is nothing to remove; removing here could only cut bytes
     * that another request recorded meanwhile.
     */
    @Override
    public void removeLastNumberOfBytes(UploadInfo info, long byteCount) {
        // nothing to undo: see above
    }

    /** TUS termination, and DELETE of a stored file. */
    @Override
    public void terminateUpload(UploadInfo info) throws IOException, UploadNotFoundException {
        remove(info, "deleted");
    }

    /**
     * Removes the upload's bytes and info, and tells the listener why. The folder is first renamed
     * away in one step: a PATCH still streaming into it finds no folder (nor fence) from then on, so
     * it can neither write nor bring the upload back, whatever point of its work it is at.
     */
    public void remove(UploadInfo info, String reason) throws IOException, UploadNotFoundException {
        Path removed = uploadsDir.resolve(REMOVED + info.getId() + "-" + System.nanoTime());
        try {
            Files.move(directory(info.getId()), removed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            throw new UploadNotFoundException("The upload " + info.getId() + " was not found");
        }
        listener.removed(info.getOwnerKey(), info.getId().toString(), reason);
        try {
            FileUtils.deleteDirectory(removed.toFile());
        } catch (IOException e) {
            // the upload is gone already; the sweep removes what is left
            LOG.warning("Could not remove all of " + removed.getFileName() + ": " + e);
        }
    }

    /**
     * Deletes what removals that a crash interrupted left behind, once older than {@code age}: a
     * younger one may still be being deleted by the removal that renamed it.
     */
    public void removeRemnants(Duration age) throws IOException {
        Instant before = Instant.now().minus(age);
        try (Stream<Path> folders = Files.list(uploadsDir)) {
            for (Path folder : folders.filter(folder -> folder.getFileName().toString().startsWith(REMOVED)).toList()) {
                removeRemnant(folder, before);
            }
        } catch (NoSuchFileException nothingStoredYet) {
            // no upload folder yet, so nothing to remove
        }
    }

    private static void removeRemnant(Path folder, Instant before) {
        try {
            if (Files.getLastModifiedTime(folder).toInstant().isBefore(before)) {
                FileUtils.deleteDirectory(folder.toFile());
            }
        } catch (IOException e) {
            LOG.fine("Remnant " + folder.getFileName() + " not removed now: " + e);
        }
    }

    /** Copies the body up to the upload's limit; a client that drops mid-PATCH keeps what it sent so far. */
    private IOException copy(UploadInfo info, InputStream body, FileChannel file, AlignedWriter writer, Fence.Hold fenced)
            throws IOException {
        String id = info.getId().toString();
        long limit = limit(info);
        byte[] chunk = new byte[READ_SIZE];
        while (writer.position() < limit) {
            int read;
            try {
                read = body.read(chunk, 0, (int) Math.min(chunk.length, limit - writer.position()));
            } catch (IOException clientGone) {
                return clientGone;
            }
            if (read < 0) {
                break;
            }
            guard.confirm(id);
            int length = read;
            storing(info, fenced, file, () -> {
                writer.write(chunk, 0, length);
                return null;
            });
            listener.progressed(info, writer.position(), fenced.generation());
        }
        return null;
    }

    /** The info file must never claim bytes that a power cut could still take back: it follows the forced bytes. */
    private void record(UploadInfo info, long position, Fence.Hold fenced) throws IOException {
        long received = position - info.getOffset();
        info.setOffset(position);
        fenced.run(() -> {
            save(info, true);
            return null;
        });
        listener.stored(info, received, fenced.generation());
    }

    private interface DiskStep<T> {
        T run() throws IOException;
    }

    /**
     * Runs a step that writes to disk; a disk failure cuts the file back to the recorded offset and
     * fails the upload. A lost lease or a deleted upload is no disk failure: it passes through untouched.
     */
    private <T> T storing(UploadInfo info, Fence.Hold fenced, FileChannel file, DiskStep<T> step) throws IOException {
        try {
            return step.run();
        } catch (WriteGuard.LockLostException | Fence.GoneException e) {
            throw e;
        } catch (IOException e) {
            LOG.severe("Could not store bytes of upload " + info.getId() + ": " + e);
            try {
                fenced.run(() -> file.truncate(info.getOffset()));
            } catch (IOException ignored) {
                // the next append truncates to the recorded offset anyway
            }
            StorageFailedException failure = new StorageFailedException(e);
            listener.failed(info, failure.getMessage(), fenced.generation());
            throw failure;
        }
    }

    private long limit(UploadInfo info) {
        long max = getMaxUploadSize() > 0 ? getMaxUploadSize() : Long.MAX_VALUE;
        return info.hasLength() ? Math.min(info.getLength(), max) : max;
    }

    /** Copies the parts' bytes into the final upload's data file, unless they are there already; answers whether it did. */
    private boolean materialize(UploadInfo info, Path data) throws IOException {
        if (Files.size(data) == info.getLength()) {
            return false;
        }
        try (OutputStream out = Files.newOutputStream(data, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (UploadInfo part : getUploadConcatenationService().getPartialUploads(info)) {
                Path bytes = directory(part.getId()).resolve(DATA_FILE);
                if (!Files.exists(bytes)) {
                    throw new UploadNotFoundException("The part " + part.getId() + " is gone");
                }
                Files.copy(bytes, out);
            }
        } catch (UploadNotFoundException e) {
            throw new IOException("A part of concatenated upload " + info.getId() + " is gone", e);
        }
        try (FileChannel written = FileChannel.open(data, StandardOpenOption.WRITE)) {
            written.force(true);
        }
        return true;
    }

    private Path directory(UploadId id) {
        return uploadsDir.resolve(id.value());
    }

    private Path directory(me.desair.tus.server.upload.UploadId id) {
        return uploadsDir.resolve(id.toString());
    }
}
