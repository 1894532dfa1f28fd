/**
 * Rate limiting: a token bucket per API key, kept in Redis so that the limit holds across every
 * instance, in front of every endpoint (REST, TUS and the WebSocket handshake).
 */
package com.mediapipeline.ratelimit;
