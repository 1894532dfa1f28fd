package com.mediapipeline.testing;

import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A black-box test of the WAR on Payara Micro; the environment is in place before Arquillian starts. */
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestEnvironment.class)
@ExtendWith(ArquillianExtension.class)
public @interface ServiceTest {
}
