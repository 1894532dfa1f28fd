package com.mediapipeline;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ext.Provider;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of the code, kept by rules: components depend one way, infrastructure knows no business,
 * Redis stays behind its stores, and HTTP and socket types stay in the boundaries.
 */
@AnalyzeClasses(packages = "com.mediapipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] BUSINESS = {"..auth..", "..cleanup..", "..health..", "..progress..", "..ratelimit..",
            "..storage..", "..upload..", "..webhooks..", "..hooks..", "..feed..", "..analytics.."};
    private static final String[] INFRASTRUCTURE = {"..config..", "..errors..", "..outbound..", "..redis..", "..web.."};

    @ArchTest
    static final ArchRule componentsDependOneWay = slices().matching("com.mediapipeline.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule infrastructureKnowsNoBusiness = noClasses().that().resideInAnyPackage(INFRASTRUCTURE)
            .should().dependOnClassesThat().resideInAnyPackage(BUSINESS);

    /** A store is a class whose Redis failures are translated ({@code @RedisCall}); nothing else holds Jedis. */
    @ArchTest
    static final ArchRule onlyStoresTouchRedis = noClasses()
            .that().resideOutsideOfPackage("..redis..").and().areNotAnnotatedWith(com.mediapipeline.redis.RedisCall.class)
            .should().dependOnClassesThat().resideInAPackage("redis.clients..");

    /**
     * The boundaries: JAX-RS resources and providers, servlets and filters and their request and
     * response wrappers, web/ and errors/, and the protocol layers (the Tus* and Ietf* classes and the
     * tus-java-server plug-ins, which the library hands the servlet request; feed/'s outlets, which write
     * a feed's messages to a socket or an event stream).
     */
    private static final DescribedPredicate<JavaClass> BOUNDARY = DescribedPredicate.or(
            resideInAnyPackage("..web..", "..errors.."),
            annotatedWith(Path.class), annotatedWith(Provider.class), annotatedWith(WebServlet.class),
            assignableTo(HttpFilter.class), assignableTo(HttpServlet.class),
            assignableTo(ServletRequestWrapper.class), assignableTo(ServletResponseWrapper.class),
            resideInAPackage("..upload..").and(simpleNameStartingWith("Tus").or(simpleNameStartingWith("Ietf"))),
            resideInAPackage("..feed..").and(simpleNameEndingWith("Outlet")),
            assignableTo(me.desair.tus.server.TusExtension.class), assignableTo(me.desair.tus.server.RequestHandler.class),
            assignableTo(me.desair.tus.server.RequestValidator.class),
            assignableTo(me.desair.tus.server.upload.UploadLockingService.class))
            .as("a boundary");

    @ArchTest
    static final ArchRule onlyBoundariesTouchHttp = noClasses().that(DescribedPredicate.not(BOUNDARY))
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "jakarta.servlet..");

    /**
     * The sockets are the boundaries of progress/ (one upload's: its endpoint, the watch it opens and the
     * registry of open sockets) and of feed/ (many uploads': its endpoint, the socket's life and its outlet).
     */
    @ArchTest
    static final ArchRule socketsStayInProgressAndFeed = noClasses().that().resideOutsideOfPackages("..progress..", "..feed..")
            .should().dependOnClassesThat().resideInAPackage("jakarta.websocket..");
}
