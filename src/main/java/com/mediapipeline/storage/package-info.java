/**
 * Storage: where upload bytes and TUS info live on disk (crash-safe appends, safe info files),
 * and the download/delete API over completed uploads, with byte ranges.
 */
package com.mediapipeline.storage;
