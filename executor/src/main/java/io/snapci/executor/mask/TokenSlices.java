package io.snapci.executor.mask;

import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.Token;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ring cut into disjoint slices, so that several readers can scan one table at once, each with its own paging
 * ({@code WHERE token(key) > after AND token(key) <= upTo}). The cut is made of the whole ring, not of the node's
 * ranges: the copy is one node that owns every token, and a slice holds rows wherever vnodes put them.
 */
final class TokenSlices {

    /** A slice {@code (after, upTo]}; {@code upTo} null: to the end of the ring. */
    record Slice(Token after, Token upTo) {
    }

    private TokenSlices() {
    }

    /**
     * The ring in {@code count} slices, or empty when the partitioner's ring cannot be cut by value (only
     * Murmur3Partitioner and RandomPartitioner can: ByteOrderedPartitioner's tokens are the keys themselves).
     */
    static Optional<List<Slice>> of(TokenMap tokens, int count) {
        Optional<String> min = minimum(tokens.getPartitionerName());
        if (min.isEmpty()) {
            return Optional.empty();
        }
        Token minimum = tokens.parse(min.get());
        return Optional.of(of(tokens.newTokenRange(minimum, minimum), minimum, count));
    }

    /** The full ring {@code ring} = (min, min] cut into {@code count} slices. */
    static List<Slice> of(TokenRange ring, Token min, int count) {
        List<Slice> slices = new ArrayList<>();
        for (TokenRange part : ring.splitEvenly(count)) {
            // The minimum token is no key's (Murmur3 maps it to the maximum, Random's tokens are >= 0), so the
            // slice ending there reaches to the end of the ring, and the one starting there begins at the first key.
            slices.add(new Slice(part.getStart(), part.getEnd().equals(min) ? null : part.getEnd()));
        }
        return slices;
    }

    /** The ring's minimum token as the partitioner writes it. */
    private static Optional<String> minimum(String partitioner) {
        if (partitioner.endsWith("Murmur3Partitioner")) {
            return Optional.of(Long.toString(Long.MIN_VALUE));
        }
        return partitioner.endsWith("RandomPartitioner") ? Optional.of("-1") : Optional.empty();
    }
}
