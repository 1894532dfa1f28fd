package com.mediapipeline.testing;

import java.lang.reflect.Proxy;

/** Hand-made stand-ins for container interfaces (a WebSocket session, a servlet request) in unit tests. */
public final class Stubs {

    private Stubs() {
    }

    /** Answers one call by the method's name; throw {@link UnsupportedOperationException} for the ones a test does not expect. */
    @FunctionalInterface
    public interface Answer {
        Object answer(String method, Object[] args);
    }

    /** An implementation of {@code type} whose calls {@code answer} handles (equals, hashCode and toString aside). */
    public static <T> T stub(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> type.getSimpleName() + " stub";
                    default -> answer.answer(method.getName(), args);
                }));
    }
}
