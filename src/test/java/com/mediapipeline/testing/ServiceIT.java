package com.mediapipeline.testing;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;

import java.io.File;
import java.net.URL;

/**
 * A black-box test of the service on Payara Micro. Every such test deploys the one WAR that
 * `mvn package` built for ops, and calls it as business "acme" unless it says otherwise.
 */
@ServiceTest
public abstract class ServiceIT {

    @ArquillianResource
    protected URL base;

    protected Api acme;

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("it.war")));
    }

    @BeforeEach
    void callAsAcme() {
        acme = Api.acme(base);
    }
}
