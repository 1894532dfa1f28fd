/**
 * Upload analytics per business: counters, users and duration histograms in hourly Redis buckets,
 * written by the status scripts as uploads progress, read back per interval by the analytics resource.
 */
package com.mediapipeline.analytics;
