package com.mediapipeline.progress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThrottleTest {

    @Test
    void atMostOnePassPerKeyPerInterval() {
        Throttle throttle = new Throttle(250);
        assertEquals(0, throttle.waitMillis("a", 1000));
        assertEquals(150, throttle.waitMillis("a", 1100));
        assertEquals(1, throttle.waitMillis("a", 1249));
        assertEquals(0, throttle.waitMillis("a", 1250));
        assertEquals(0, throttle.waitMillis("b", 1251), "keys are throttled independently");
        assertEquals(249, throttle.waitMillis("a", 1251));
    }

    @Test
    void aForgottenKeyPassesAtOnce() {
        Throttle throttle = new Throttle(250);
        assertEquals(0, throttle.waitMillis("a", 1000));
        throttle.forget("a");
        assertEquals(0, throttle.waitMillis("a", 1001));
    }
}
