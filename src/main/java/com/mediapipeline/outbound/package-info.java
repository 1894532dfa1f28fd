/**
 * Calls this service makes to receivers outside it: signed the Standard Webhooks way, only to
 * destinations allowed against SSRF, with one deadline and a bounded answer.
 */
package com.mediapipeline.outbound;
