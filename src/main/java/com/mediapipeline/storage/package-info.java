/**
 * Storage: the stored files of completed uploads, downloaded whole or by byte ranges with validators,
 * and deleted with everything kept about them.
 */
package com.mediapipeline.storage;
