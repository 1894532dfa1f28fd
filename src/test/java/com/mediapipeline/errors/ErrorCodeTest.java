package com.mediapipeline.errors;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorCodeTest {

    @Test
    void everyCodeIsAnErrorStatusWithASnakeCaseNameAndAMessage() {
        for (ErrorCode code : ErrorCode.values()) {
            assertTrue(code.status() >= 400 && code.status() < 600, code + " is an error status");
            assertTrue(code.code().matches("[a-z]+(_[a-z]+)*"), code + " is snake_case");
            assertTrue(!code.message().isBlank(), code + " has a message");
        }
    }

    /** A client can switch on the code alone: two entries share a code only to give it another message. */
    @Test
    void aCodeMeansOneStatus() {
        Map<String, Set<Integer>> statuses = Arrays.stream(ErrorCode.values()).collect(Collectors.groupingBy(ErrorCode::code,
                Collectors.mapping(ErrorCode::status, Collectors.toSet())));
        statuses.forEach((code, each) -> assertEquals(1, each.size(), code + " has one status"));
    }

    @Test
    void theBodyIsTheCodeAndTheMessageOrTheDefaultOne() {
        assertEquals("{\"error\":\"locked\",\"message\":\"busy\"}", ErrorResponses.json(ErrorCode.LOCKED, "busy"));
        assertEquals("{\"error\":\"not_found\",\"message\":\"No such resource\"}", ErrorResponses.json(ErrorCode.ROUTE_NOT_FOUND, null));
    }
}
