/**
 * Rate limiting: a token bucket per API key, kept in Redis so that the limit holds across every
 * instance, in front of every endpoint (REST, TUS and the WebSocket handshake); and the stream
 * slots that cap how many PATCHes of one business receive bytes at once.
 */
package com.mediapipeline.ratelimit;
