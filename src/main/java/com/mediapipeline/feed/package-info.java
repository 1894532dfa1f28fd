/**
 * Following many uploads at once: one WebSocket ({@code /api/v1/ws}) or one server-sent event stream
 * ({@code /api/v1/events}) for all of a business's uploads, or a user's, or a list of them.
 */
package com.mediapipeline.feed;
