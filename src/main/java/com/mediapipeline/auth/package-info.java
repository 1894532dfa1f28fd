/**
 * Authentication: API keys per business ({@code X-API-KEY}) and the caller's username
 * ({@code X-Username}), checked on every API call, REST and TUS alike.
 */
package com.mediapipeline.auth;
