/**
 * Progress: each upload's status in a Redis hash, written as bytes stream in (throttled), and the
 * status resource that reads it.
 */
package com.mediapipeline.progress;
