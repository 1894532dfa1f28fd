package com.mediapipeline.upload;

import me.desair.tus.server.util.AbstractExtensionRequestHandler;

import java.util.List;

/** Adds the extensions an extension of ours serves to the {@code Tus-Extension} header of OPTIONS. */
final class AdvertisedExtensions extends AbstractExtensionRequestHandler {

    private final List<String> names;

    AdvertisedExtensions(String... names) {
        this.names = List.of(names);
    }

    @Override
    protected void appendExtensions(StringBuilder extensions) {
        names.forEach(name -> addExtension(extensions, name));
    }
}
