/**
 * Health: MicroProfile readiness (Redis answers, the storage folder is writable with room to spare)
 * and liveness checks, served by Payara at /health/ready and /health/live; and the start-up checks
 * that fail a deployment whose settings the service cannot run with.
 */
package com.mediapipeline.health;
