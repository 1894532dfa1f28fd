package com.mediapipeline.errors;

import com.mediapipeline.redis.RedisUnavailableException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Redis is down: 503, so that clients retry, rather than a 500 that says the request was wrong. */
@Provider
public class RedisUnavailableMapper implements ExceptionMapper<RedisUnavailableException> {

    @Override
    public Response toResponse(RedisUnavailableException e) {
        return ErrorResponses.response(ErrorCode.REDIS_UNAVAILABLE, null);
    }
}
