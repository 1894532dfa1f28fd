/**
 * Web: the JAX-RS application under {@code /api/v1}, its JSON settings and the cap on its request
 * bodies, CORS for every route, the access log of every API request, which proxy headers to
 * believe, and the end of stalled bodies.
 */
package com.mediapipeline.web;
