/**
 * Errors: the one table of error codes and the one writer of {@code {"error","message"}} bodies,
 * used by the JAX-RS exception mappers, the servlet filters and the TUS filter alike.
 */
package com.mediapipeline.errors;
