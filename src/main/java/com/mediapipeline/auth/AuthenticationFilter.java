package com.mediapipeline.auth;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/** Every JAX-RS call but a preflight needs a known API key and a well-formed username. */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter {

    @Inject
    Authentication authentication;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            authentication.authenticate(request.getHeaderString(Authentication.API_KEY_HEADER),
                    request.getHeaderString(Authentication.USERNAME_HEADER));
        }
    }
}
