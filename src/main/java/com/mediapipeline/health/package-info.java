/**
 * Health: MicroProfile readiness (Redis answers, the storage folder is writable with room to spare)
 * and liveness checks, served by Payara at /health/ready and /health/live.
 */
package com.mediapipeline.health;
