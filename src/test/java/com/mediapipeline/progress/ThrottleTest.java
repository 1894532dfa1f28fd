package com.mediapipeline.progress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThrottleTest {

    @Test
    void atMostOnePassPerKeyPerInterval() {
        Throttle throttle = new Throttle(250);
        assertTrue(throttle.tryPass("a", 1000));
        assertFalse(throttle.tryPass("a", 1100));
        assertFalse(throttle.tryPass("a", 1249));
        assertTrue(throttle.tryPass("a", 1250));
        assertTrue(throttle.tryPass("b", 1251), "keys are throttled independently");
    }

    @Test
    void aForgottenKeyPassesAtOnce() {
        Throttle throttle = new Throttle(250);
        assertTrue(throttle.tryPass("a", 1000));
        throttle.forget("a");
        assertTrue(throttle.tryPass("a", 1001));
    }
}
