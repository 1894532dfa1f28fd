/**
 * Progress: each upload's status in a Redis hash, written as bytes stream in (throttled), the status
 * resource that reads it, and the WebSocket that streams it live, across instances through pub/sub.
 */
package com.mediapipeline.progress;
