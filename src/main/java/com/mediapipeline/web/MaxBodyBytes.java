package com.mediapipeline.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A resource method whose JSON body may be larger than {@link BodyLimit}'s default, up to this many bytes. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MaxBodyBytes {

    int value();
}
