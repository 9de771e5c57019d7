package io.snapci.scheduler.mesos.offer;

import java.math.BigDecimal;

/**
 * Scalar resource amounts the way Mesos keeps them: fixed point with three decimal digits (mesos.proto,
 * {@code Value.Scalar}). Working in thousandths avoids "1.9999999 cpus is not enough for 2".
 */
final class Scalars {

    private Scalars() {
    }

    static long toMillis(double value) {
        return Math.round(value * 1000.0);
    }

    /** {@code 3104}, {@code 2.1}, {@code 0.5}: no trailing zeros, no grouping. */
    static String format(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    static String format(double value) {
        return format(toMillis(value));
    }
}
