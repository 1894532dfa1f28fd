package com.mediapipeline.redis;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a store whose Redis outages become a {@link RedisUnavailableException} (other failures are
 * faults, logged and passed on: {@link RedisFailureInterceptor}). Its calls run once; only those
 * marked {@link Idempotent} are tried again when the connection breaks.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RedisCall {
}
