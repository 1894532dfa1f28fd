package com.mediapipeline.bench;

/** Binary sizes: the scenarios are sized in MiB and GiB, while rates are reported in MB (10⁶ bytes). */
final class Sizes {

    static final long MIB = 1024 * 1024;
    static final long GIB = 1024 * MIB;

    private Sizes() {
    }
}
