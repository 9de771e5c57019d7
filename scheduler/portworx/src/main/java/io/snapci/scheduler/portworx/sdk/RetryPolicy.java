package io.snapci.scheduler.portworx.sdk;

import java.time.Duration;

/**
 * Exponential backoff for transient SDK failures (5xx, unavailable, timeouts): the delay before retry {@code n}
 * (1-based) is {@code initial * 2^(n-1)}, capped at {@code max}, with ±20% jitter so that many schedulers do not
 * retry in step. {@code attempts} counts the first try.
 */
public record RetryPolicy(int attempts, Duration initial, Duration max) {

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("retry attempts must be at least 1 (the first try)");
        }
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry delays must satisfy 0 <= initial <= max");
        }
    }

    /** Five tries over about 6 s: long enough to ride out a gateway restart, short enough for a CI job. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(400), Duration.ofSeconds(3));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The delay before retry number {@code retry} (1 for the first retry), given a random number in [0, 1). */
    public Duration delayBefore(int retry, double random) {
        long base = initial.toMillis();
        long capped = max.toMillis();
        long delay = retry >= 31 ? capped : Math.min(capped, base << Math.max(0, retry - 1));
        return Duration.ofMillis(Math.round(delay * (0.8 + 0.4 * random)));
    }
}
