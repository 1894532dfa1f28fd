/**
 * Cleanup: an EJB timer that, on one instance per interval, removes the uploads that the expiry index
 * says are due (files, info, status), and reconciles the storage folder and Redis a slice at a time.
 */
package com.mediapipeline.cleanup;
