package com.mediapipeline.ratelimit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DecisionTest {

    @Test
    void anAllowedRequestReportsWhatIsLeftAndWhenTheBucketIsFull() {
        assertEquals(new Decision(true, 200, 149, 2, 0), Decision.of(true, 149.5, 50, 200));
        assertEquals(new Decision(true, 200, 199, 1, 0), Decision.of(true, 199.0, 50, 200));
    }

    @Test
    void aRefusalSaysWhenTheNextTokenComes() {
        assertEquals(new Decision(false, 10, 0, 5, 1), Decision.of(false, 0.2, 2, 10));
        assertEquals(new Decision(false, 10, 0, 20, 2), Decision.of(false, 0.0, 0.5, 10));
    }
}
