/**
 * Configuration that several components share: how long uploads are kept, the one JSON mapping,
 * and the start-up failure that names a setting the service cannot run with.
 */
package com.mediapipeline.config;
