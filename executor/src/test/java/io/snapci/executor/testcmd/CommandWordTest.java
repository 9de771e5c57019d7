package io.snapci.executor.testcmd;

import io.snapci.executor.testcmd.CommandWord.Kind;
import io.snapci.executor.testcmd.CommandWord.Parsed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CommandWordTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
            "mvn -B test                        | WORD    | mvn",
            "  ./gradlew test                   | WORD    | ./gradlew",
            "FOO=1 ls                           | WORD    | ls",
            "FOO=1 BAR+=x  'my tool' arg        | WORD    | my tool",
            "A=\"x y\" B='z' C=$(pwd) npm test  | WORD    | npm",
            "\"/opt/my dir/run\"                | WORD    | /opt/my dir/run",
            "mv\\n x                            | WORD    | mvn",
            "cd sub && mvn test                 | WORD    | cd",
            "[ -f x ] && y                      | WORD    | [",
            "{ mvn test; }                      | WORD    | {",
            "'FOO=1' x                          | WORD    | FOO=1",
            "(cd sub && mvn test)               | SYNTAX  | (",
            "> out.log mvn test                 | SYNTAX  | >",
            "# just a comment                   | SYNTAX  | #",
            "$MVN test                          | DYNAMIC | ",
            "\"$MVN\" test                      | DYNAMIC | ",
            "`which mvn` test                   | DYNAMIC | ",
            "~/bin/run-tests                    | DYNAMIC | ",
            "./bin/*.sh                         | DYNAMIC | ",
            "'unbalanced                        | DYNAMIC | ",
            "FOO=1                              | NONE    | ",
            "setup() { make; }; setup           | SYNTAX  | ",
            "npm ()                             | SYNTAX  | ",
    })
    void findsTheFirstWord(String command, Kind kind, String word) {
        Parsed parsed = CommandWord.first(command);
        assertEquals(kind, parsed.kind(), command);
        if (kind == Kind.WORD) {
            assertEquals(word, parsed.word(), command);
        }
    }
}
