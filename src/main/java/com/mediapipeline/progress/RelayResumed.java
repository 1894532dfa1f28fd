package com.mediapipeline.progress;

/** The relay is subscribed again after losing its subscription: events published meanwhile were not relayed. */
public record RelayResumed() {
}
