/**
 * Web: the JAX-RS application under {@code /api/v1}, its JSON settings, and CORS for every route.
 */
package com.mediapipeline.web;
