package com.mediapipeline.redis;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link RedisCall} method that is safe to repeat: it only reads, or writes what a second
 * run would write again. Only these are retried when the connection breaks, because a broken
 * connection does not say whether Redis ran the command before the reply was lost.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {
}
