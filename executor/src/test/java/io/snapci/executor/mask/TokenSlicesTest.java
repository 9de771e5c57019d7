package io.snapci.executor.mask;

import com.datastax.oss.driver.internal.core.metadata.token.Murmur3Token;
import com.datastax.oss.driver.internal.core.metadata.token.Murmur3TokenRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring's slices: every key's token is in exactly one, so a parallel scan reads each row once. */
class TokenSlicesTest {

    private static final Murmur3Token MIN = new Murmur3Token(Long.MIN_VALUE);

    private static boolean holds(TokenSlices.Slice slice, long token) {
        long after = ((Murmur3Token) slice.after()).getValue();
        return token > after && (slice.upTo() == null || token <= ((Murmur3Token) slice.upTo()).getValue());
    }

    @Test
    void everyTokenOfTheRingIsInExactlyOneSlice() {
        List<TokenSlices.Slice> slices = TokenSlices.of(new Murmur3TokenRange(MIN, MIN), MIN, 64);

        assertThat(slices).hasSize(64);
        assertThat(slices).filteredOn(s -> s.upTo() == null).as("one slice reaches the end of the ring").hasSize(1);
        Random random = new Random(42);
        long[] edges = {Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE, Long.MAX_VALUE - 1};
        for (int i = 0; i < 100_000 + edges.length; i++) {
            long token = i < edges.length ? edges[i] : random.nextLong();
            if (token == Long.MIN_VALUE) {
                continue;  // no key's token (Murmur3Partitioner maps it to the maximum)
            }
            long holding = slices.stream().filter(s -> holds(s, token)).count();
            assertThat(holding).as("slices holding token " + token).isEqualTo(1);
        }
    }
}
