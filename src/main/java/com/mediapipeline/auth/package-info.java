/**
 * Authentication: one path for every HTTP route and the socket handshake: API keys per business
 * ({@code X-API-KEY}), the caller's username ({@code X-Username}), single-use socket tickets, and
 * signed download links.
 */
package com.mediapipeline.auth;
