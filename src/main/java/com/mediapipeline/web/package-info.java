/**
 * Web: the JAX-RS application under {@code /api/v1}, its JSON settings and the cap on its request
 * bodies, CORS for every route, and the access log of every API request.
 */
package com.mediapipeline.web;
