package com.mediapipeline.bench;

/** Binary sizes: the scenarios are sized in KiB, MiB and GiB, while rates are reported in MB (10⁶ bytes). */
final class Sizes {

    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;

    private Sizes() {
    }
}
