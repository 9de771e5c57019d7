package io.snapci.tests.mask;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The scan the masking stories prove "no original in any file" with: it must find what a plain search finds. */
class NeedleScanTest {

    @TempDir
    Path dir;

    @Test
    void findsExactlyWhatASearchForEachValueFindsInRandomBytesWithValuesPlanted() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            List<String> needles = new ArrayList<>();
            int count = 1 + random.nextInt(40);
            for (int n = 0; n < count; n++) {
                needles.add(word(random, 1 + random.nextInt(round % 3 == 0 ? 4 : 24)));
            }
            byte[] bytes = new byte[random.nextInt(4000)];
            random.nextBytes(bytes);
            for (int k = random.nextInt(6); k > 0 && bytes.length > 0; k--) {
                byte[] planted = needles.get(random.nextInt(needles.size())).getBytes(StandardCharsets.UTF_8);
                int at = random.nextBoolean() ? bytes.length - Math.min(planted.length, bytes.length)
                        : random.nextInt(bytes.length);
                System.arraycopy(planted, 0, bytes, at, Math.min(planted.length, bytes.length - at));
            }

            assertThat(new NeedleScan(needles).foundIn(bytes)).as("round " + round)
                    .containsExactlyInAnyOrderElementsOf(naive(bytes, needles));
        }
    }

    @Test
    void aValueAtTheVeryStartOrEndOrAcrossAnotherIsFoundAndUtf8IsMatchedByItsBytes() throws Exception {
        NeedleScan scan = new NeedleScan(List.of("Zoë", "guest1.realname@mailhost.example.org", "mail", "x"));
        assertThat(scan.foundIn("Zoë said".getBytes(StandardCharsets.UTF_8))).containsExactly("Zoë");
        assertThat(scan.foundIn("..guest1.realname@mailhost.example.org".getBytes(StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrder("guest1.realname@mailhost.example.org", "mail", "x");
        assertThat(scan.foundIn("Zoe".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(scan.foundIn("Zo".getBytes(StandardCharsets.UTF_8))).isEmpty();

        Files.writeString(Files.createDirectories(dir.resolve("a/b")).resolve("log"), "hello Zoë");
        Files.writeString(dir.resolve("clean"), "nothing here");
        assertThat(scan.foundUnder(dir)).containsExactly("Zoë in " + dir.resolve("a/b/log"));
    }

    private static Set<String> naive(byte[] bytes, List<String> needles) {
        Set<String> found = new LinkedHashSet<>();
        for (String needle : needles) {
            byte[] n = needle.getBytes(StandardCharsets.UTF_8);
            outer:
            for (int i = 0; i + n.length <= bytes.length; i++) {
                for (int j = 0; j < n.length; j++) {
                    if (bytes[i + j] != n[j]) {
                        continue outer;
                    }
                }
                found.add(needle);
                break;
            }
        }
        return found;
    }

    /** Few letters, so that values share prefixes and stand inside each other. */
    private static String word(Random random, int length) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < length; i++) {
            word.append("abë".charAt(random.nextInt(3)));
        }
        return word.toString();
    }
}
