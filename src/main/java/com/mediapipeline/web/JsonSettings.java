package com.mediapipeline.web;

import com.mediapipeline.config.JsonMapping;
import jakarta.json.bind.Jsonb;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** JAX-RS reads and writes bodies with the service's one JSON mapping. */
@Provider
public class JsonSettings implements ContextResolver<Jsonb> {

    @Override
    public Jsonb getContext(Class<?> type) {
        return JsonMapping.JSONB;
    }
}
