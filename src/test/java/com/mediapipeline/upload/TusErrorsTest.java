package com.mediapipeline.upload;

import com.mediapipeline.errors.ErrorCode;
import me.desair.tus.server.exception.InvalidContentTypeException;
import me.desair.tus.server.exception.InvalidUploadOffsetException;
import me.desair.tus.server.exception.TusException;
import me.desair.tus.server.exception.UploadOffsetMismatchException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class TusErrorsTest {

    /** Where we answer another status than the library, on purpose. */
    private static final Map<Class<?>, Integer> DEVIATIONS = Map.of(
            InvalidContentTypeException.class, 415,   // the spec: "415 Unsupported Media Type", the library says 406
            InvalidUploadOffsetException.class, 400); // a malformed header is the client's mistake, the library says 500

    @Test
    void everyExceptionOfTheLibraryHasItsOwnCodeWithItsStatus() throws Exception {
        List<TusException> failures = libraryExceptions();
        assertFalse(failures.isEmpty());
        for (TusException failure : failures) {
            ErrorCode code = TusErrors.codeOf(failure);
            assertNotEquals(ErrorCode.INTERNAL_ERROR, code, failure.getClass().getSimpleName() + " is mapped");
            assertEquals(DEVIATIONS.getOrDefault(failure.getClass(), failure.getStatus()), code.status(),
                    failure.getClass().getSimpleName() + " answers its status");
        }
    }

    /** Ours too: a PATCH whose upload was deleted under it; and a subclass answers as its nearest mapped type. */
    @Test
    void ourOwnExceptionsAndSubclassesHaveTheirCodes() {
        assertEquals(ErrorCode.GONE, TusErrors.codeOf(new UploadDeletedException(
                new me.desair.tus.server.upload.UploadId("0b7e3a60-1f5c-4c8e-8d21-6a1f3c2b9e70"))));
        assertEquals(ErrorCode.OFFSET_MISMATCH, TusErrors.codeOf(new UploadOffsetMismatchException("behind") {
        }));
    }

    @Test
    void aFailureTheTableDoesNotKnowIsOurs() {
        assertEquals(ErrorCode.INTERNAL_ERROR, TusErrors.codeOf(new TusException(418, "new in a later release") {
        }));
    }

    /** Every concrete exception class in the library's exception package, made with a message. */
    private static List<TusException> libraryExceptions() throws Exception {
        URL jar = TusException.class.getProtectionDomain().getCodeSource().getLocation();
        try (FileSystem zip = FileSystems.newFileSystem(Path.of(jar.toURI()));
             Stream<Path> files = Files.list(zip.getPath("me/desair/tus/server/exception"))) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .map(name -> "me.desair.tus.server.exception." + name.replace(".class", ""))
                    .filter(name -> !name.equals(TusException.class.getName()))
                    .map(TusErrorsTest::instantiate).toList();
        }
    }

    private static TusException instantiate(String className) {
        try {
            Class<?> type = Class.forName(className);
            for (Constructor<?> constructor : type.getConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == String.class) {
                    return (TusException) constructor.newInstance("test");
                }
            }
            return (TusException) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot make a " + className, e);
        }
    }
}
