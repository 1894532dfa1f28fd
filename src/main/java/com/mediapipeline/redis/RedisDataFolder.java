package com.mediapipeline.redis;

import jakarta.inject.Qualifier;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The folder (a {@code java.nio.file.Path}) where the embedded redis-server keeps its data. Produced
 * by the component that owns the service's storage folder, so that redis/ receives it without
 * importing that component.
 */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface RedisDataFolder {
}
