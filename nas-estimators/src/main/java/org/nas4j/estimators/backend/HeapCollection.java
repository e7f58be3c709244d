package org.nas4j.estimators.backend;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full garbage collection that follows a trial ({@link #collect()}), after which the JVM hands back the heap a
 * long search does not need.
 *
 * <p>Why: ND4J frees an array's native memory only when the collector finds its Java object unreachable, so every
 * trial ends with {@code System.gc()}. With the JVM's default heap ratios ({@code MaxHeapFreeRatio} 70) a full
 * collection leaves a committed heap of several times the live data (G1 committed 320-336 MiB for some 100 MiB
 * live), whose regions the young collections then touch one by one: the process's resident memory rose for the
 * first 100-200 trials of a search of short trials, by 6-14% after trial 50 (docs/reliability.md, "Memory").
 * Here the collection runs with {@code MinHeapFreeRatio} 10 and {@code MaxHeapFreeRatio} 30 (HotSpot's manageable
 * options, set through its diagnostic bean for that one collection and restored afterwards): the collector shrinks
 * the heap to about 1.4 times the live data, and the heap grows again only as the next trial needs it.
 *
 * <p>Nothing is changed where the user chose: when either ratio was set on the command line (any origin but the
 * default), or on a JVM without HotSpot's diagnostic bean, this is a plain {@code System.gc()}. The ratios are
 * process-wide, so collections that change them take turns (one lock per process).
 */
public final class HeapCollection {
    private static final Logger LOG = LoggerFactory.getLogger(HeapCollection.class);
    /** The least free share of the heap after the collection, percent (HotSpot's default: 40). */
    public static final int MIN_FREE_PERCENT = 10;
    /** The most free share of the heap after the collection, percent (HotSpot's default: 70). */
    public static final int MAX_FREE_PERCENT = 30;
    private static final String MIN_RATIO = "MinHeapFreeRatio";
    private static final String MAX_RATIO = "MaxHeapFreeRatio";
    private static final Object RATIOS = new Object();

    private HeapCollection() {
    }

    /**
     * Runs a full collection ({@code System.gc()}) under the tight ratios of this class, then restores the ratios
     * that were set before; a plain {@code System.gc()} where the ratios cannot or should not be changed.
     */
    public static void collect() {
        HotSpotDiagnosticMXBean vm = Holder.BEAN;
        if (vm == null) {
            System.gc();
            return;
        }
        synchronized (RATIOS) {
            VMOption min = vm.getVMOption(MIN_RATIO);
            VMOption max = vm.getVMOption(MAX_RATIO);
            if (!untouchedByUser(min, max)) {
                System.gc();
                return;
            }
            try {
                // HotSpot refuses a minimum above the maximum: lower the minimum first, raise it last
                vm.setVMOption(MIN_RATIO, Integer.toString(MIN_FREE_PERCENT));
                vm.setVMOption(MAX_RATIO, Integer.toString(MAX_FREE_PERCENT));
                System.gc();
            } finally {
                vm.setVMOption(MAX_RATIO, max.getValue());
                vm.setVMOption(MIN_RATIO, min.getValue());
            }
        }
    }

    /** Whether {@link #collect()} tightens the ratios in this JVM (false where the user set one of them). */
    public static boolean tightensRatios() {
        HotSpotDiagnosticMXBean vm = Holder.BEAN;
        return vm != null && untouchedByUser(vm.getVMOption(MIN_RATIO), vm.getVMOption(MAX_RATIO));
    }

    /**
     * Whether both ratios are writable and still the JVM's defaults, or last set through the bean (which is what an
     * earlier {@link #collect()} leaves behind).
     */
    private static boolean untouchedByUser(VMOption min, VMOption max) {
        return min.isWriteable() && max.isWriteable() && min.getOrigin() == max.getOrigin()
                && (min.getOrigin() == VMOption.Origin.DEFAULT || min.getOrigin() == VMOption.Origin.MANAGEMENT);
    }

    /** The bean, looked up once; null off HotSpot or where the option is missing. */
    private static final class Holder {
        static final HotSpotDiagnosticMXBean BEAN = lookUp();

        private static HotSpotDiagnosticMXBean lookUp() {
            try {
                HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                if (vm != null) {
                    vm.getVMOption(MIN_RATIO);
                    vm.getVMOption(MAX_RATIO);
                }
                return vm;
            } catch (RuntimeException | LinkageError e) {
                LOG.debug("heap ratios cannot be set on this JVM ({}); collections keep its defaults", e.toString());
                return null;
            }
        }
    }
}
