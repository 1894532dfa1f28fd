package com.mediapipeline.storage;

import com.mediapipeline.upload.UploadIds;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.exception.UploadNotFoundException;
import me.desair.tus.server.upload.UploadId;
import me.desair.tus.server.upload.UploadInfo;
import me.desair.tus.server.upload.UploadType;
import me.desair.tus.server.upload.disk.DiskStorageService;
import org.apache.commons.io.FileUtils;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
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

    public UploadFileStore(Path storageDir, DiskWrites disk, UploadListener listener, WriteGuard guard) {
        super(storageDir.toString());
        this.uploadsDir = storageDir.resolve("uploads");
        this.disk = disk;
        this.listener = listener;
        this.guard = guard;
    }

    /** Where an upload's bytes are, or null for an id that has no upload. */
    public Path dataFile(UploadId id) {
        Path dir = directory(id);
        return Files.isDirectory(dir) ? dir.resolve(DATA_FILE) : null;
    }

    /** The ids of every upload folder, for the cleanup sweep. */
    public List<String> ids() throws IOException {
        if (!Files.isDirectory(uploadsDir)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(uploadsDir)) {
            return folders.map(folder -> folder.getFileName().toString()).filter(UploadIds::isValid).toList();
        }
    }

    /** When the upload's folder last changed: its last byte written, or its creation. */
    public Instant lastWrite(String id) throws IOException {
        Path folder = uploadsDir.resolve(id);
        Path data = folder.resolve(DATA_FILE);
        return Files.getLastModifiedTime(Files.exists(data) ? data : folder).toInstant();
    }

    /** Removes a folder that never became an upload (no info file: a crash during creation). */
    public void removeFolder(String id) throws IOException {
        FileUtils.deleteDirectory(uploadsDir.resolve(id).toFile());
    }

    @Override
    public UploadInfo getUploadInfo(UploadId id) throws IOException {
        Path info = id == null ? null : directory(id).resolve(INFO_FILE);
        if (info == null || !Files.exists(info)) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(info)))) {
            in.setObjectInputFilter(INFO_CLASSES);
            return (UploadInfo) in.readObject();
        } catch (InvalidClassException | ClassNotFoundException | ClassCastException e) {
            LOG.severe("Refusing the info file of upload " + id + ": " + e.getMessage());
            return null;
        } catch (EOFException | StreamCorruptedException e) {
            // an info file cut short (a power cut right after creation): the upload never was
            LOG.warning("Unreadable info file of upload " + id + ": " + e);
            return null;
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public UploadInfo create(UploadInfo info, String ownerKey) throws IOException {
        UploadInfo created = super.create(info, ownerKey);
        listener.created(created);
        return created;
    }

    /**
     * tus-java-server's metadata updates (expiry, upload type, deferred length): replaced atomically,
     * but not forced to disk. A power cut can only take such a change back, and what it carries about
     * the bytes is what the last {@link #append} already made durable. A concatenation that just
     * completed is the exception: its bytes are new.
     */
    @Override
    public void update(UploadInfo info) throws IOException, UploadNotFoundException {
        boolean completedConcatenation = UploadType.CONCATENATED.equals(info.getUploadType()) && !info.isUploadInProgress();
        if (completedConcatenation) {
            materialize(info, directory(info.getId()).resolve(DATA_FILE));
        }
        save(info, completedConcatenation);
    }

    private void save(UploadInfo info, boolean durable) throws IOException, UploadNotFoundException {
        Path dir = directory(info.getId());
        if (!Files.isDirectory(dir)) {
            throw new UploadNotFoundException("The upload " + info.getId() + " was not found");
        }
        Path temp = dir.resolve(INFO_FILE + ".tmp");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp));
             ObjectOutputStream out = new ObjectOutputStream(file)) {
            out.writeObject(info);
        }
        if (durable) {
            try (FileChannel written = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                written.force(true);
            }
        }
        // a crash leaves either the old info or the new one, never half of one
        Files.move(temp, dir.resolve(INFO_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public UploadInfo append(UploadInfo info, InputStream body) throws IOException, TusException {
        Path data = dataFile(info.getId());
        if (data == null) {
            throw new UploadNotFoundException("The upload " + info.getId() + " was not found");
        }
        try (FileChannel file = disk.open(data)) {
            // bytes past the recorded offset come from a PATCH that crashed before recording them
            file.truncate(info.getOffset());
            AlignedWriter writer = storing(info, file, () -> disk.writer(file, info.getOffset()));
            try {
                IOException clientFailure = copy(info, body, file, writer);
                storing(info, file, () -> {
                    writer.finish();
                    file.force(false);
                    return null;
                });
                record(info, writer.position());
                if (clientFailure != null) {
                    throw clientFailure;
                }
            } finally {
                disk.release(writer);
            }
        }
        return info;
    }

    /** tus-java-server's undo of a PATCH whose checksum did not match: durable, and the status follows. */
    @Override
    public void removeLastNumberOfBytes(UploadInfo info, long byteCount) throws IOException, UploadNotFoundException {
        Path data = info == null ? null : dataFile(info.getId());
        if (data == null || byteCount <= 0) {
            return;
        }
        try (FileChannel file = FileChannel.open(data, StandardOpenOption.WRITE)) {
            file.truncate(Math.max(0, file.size() - byteCount));
            file.force(false);
            info.setOffset(file.size());
        }
        save(info, true);
        listener.stored(info, -byteCount);
    }

    /** TUS termination, and DELETE of a stored file. */
    @Override
    public void terminateUpload(UploadInfo info) throws IOException, UploadNotFoundException {
        remove(info, "deleted");
    }

    /** Removes the upload's bytes and info, and tells the listener why. */
    public void remove(UploadInfo info, String reason) throws IOException, UploadNotFoundException {
        super.terminateUpload(info);
        listener.removed(info.getId().toString(), reason);
    }

    /** Copies the body up to the upload's limit; a client that drops mid-PATCH keeps what it sent so far. */
    private IOException copy(UploadInfo info, InputStream body, FileChannel file, AlignedWriter writer) throws IOException {
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
            storing(info, file, () -> {
                writer.write(chunk, 0, length);
                return null;
            });
            listener.progressed(info, writer.position());
        }
        return null;
    }

    /** The info file must never claim bytes that a power cut could still take back: it follows the forced bytes. */
    private void record(UploadInfo info, long position) throws IOException, TusException {
        if (dataFile(info.getId()) == null) {
            throw new UploadDeletedException(info.getId());
        }
        long received = position - info.getOffset();
        info.setOffset(position);
        save(info, true);
        listener.stored(info, received);
    }

    private interface DiskStep<T> {
        T run() throws IOException;
    }

    /** Runs a step that writes to disk; a failure cuts the file back to the recorded offset and fails the upload. */
    private <T> T storing(UploadInfo info, FileChannel file, DiskStep<T> step) throws StorageFailedException {
        try {
            return step.run();
        } catch (IOException e) {
            LOG.severe("Could not store bytes of upload " + info.getId() + ": " + e.getMessage());
            try {
                file.truncate(info.getOffset());
            } catch (IOException ignored) {
                // the next append truncates to the recorded offset anyway
            }
            listener.failed(info, "could not store the bytes: " + e.getMessage());
            throw new StorageFailedException(e);
        }
    }

    private long limit(UploadInfo info) {
        long max = getMaxUploadSize() > 0 ? getMaxUploadSize() : Long.MAX_VALUE;
        return info.hasLength() ? Math.min(info.getLength(), max) : max;
    }

    private void materialize(UploadInfo info, Path data) throws IOException {
        if (Files.size(data) == info.getLength()) {
            return;
        }
        try (OutputStream out = Files.newOutputStream(data, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (UploadInfo part : getUploadConcatenationService().getPartialUploads(info)) {
                Files.copy(dataFile(part.getId()), out);
            }
        } catch (UploadNotFoundException e) {
            throw new IOException("A part of concatenated upload " + info.getId() + " is gone", e);
        }
        try (FileChannel written = FileChannel.open(data, StandardOpenOption.WRITE)) {
            written.force(true);
        }
    }

    private Path directory(UploadId id) {
        return uploadsDir.resolve(id.toString());
    }
}
