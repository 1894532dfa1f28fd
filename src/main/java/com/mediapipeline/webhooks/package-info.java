/**
 * Webhooks: endpoints a business registers, events recorded with each status change and delivered
 * signed (Standard Webhooks), retried and logged; and the blocking pre-create hook.
 */
package com.mediapipeline.webhooks;
