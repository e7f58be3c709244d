package org.nas4j.estimators.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class NativeBackendTest {
    @Test
    void testsRunOnTheOneDnnAvx2BinaryOnLinuxX86() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "only checked on x86-64 Linux");
        assertEquals("CpuBackend", NativeBackend.backend());
        assertEquals("linux-x86_64-onednn-avx2", NativeBackend.binary(), NativeBackend.describe());
    }
}
