package io.snapci.executor.testcmd;

/**
 * The word a shell would run first from a command line, as far as a static look can tell: leading
 * {@code VAR=value} assignments are skipped and simple quoting ({@code '..'}, {@code ".."}, backslash) is undone.
 * This is not a shell parser; whatever it cannot be sure of is reported as {@link Kind#DYNAMIC} or
 * {@link Kind#SYNTAX} so that the preflight lets it through rather than rejecting a valid command.
 */
final class CommandWord {

    enum Kind {
        /** A literal word: check it. */
        WORD,
        /** Expansions, globs, tilde or unbalanced quotes: only bash knows what it becomes. */
        DYNAMIC,
        /** Starts with shell syntax such as {@code (}, a redirection or a comment. */
        SYNTAX,
        /** Nothing but assignments (or nothing at all). */
        NONE
    }

    record Parsed(Kind kind, String word) {
    }

    private static final String OPERATORS = ";&|<>()";

    private final String text;
    private int pos;

    private CommandWord(String text) {
        this.text = text;
    }

    static Parsed first(String command) {
        return new CommandWord(command).parse();
    }

    private Parsed parse() {
        while (true) {
            skipBlanks();
            if (pos >= text.length()) {
                return new Parsed(Kind.NONE, null);
            }
            char c = text.charAt(pos);
            if (OPERATORS.indexOf(c) >= 0 || c == '#') {
                return new Parsed(Kind.SYNTAX, String.valueOf(c));
            }
            Word word = readWord();
            if (!word.assignment && nextIs('(')) {
                return new Parsed(Kind.SYNTAX, "()"); // "name() { ...; }" defines a function, runs nothing yet
            }
            if (!word.assignment) {
                return new Parsed(word.dynamic() ? Kind.DYNAMIC : Kind.WORD, word.text.toString());
            }
        }
    }

    private boolean nextIs(char c) {
        int at = pos;
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
        return at < text.length() && text.charAt(at) == c;
    }

    private void skipBlanks() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** One shell word from {@link #pos}: its unquoted text and what makes it unknowable before bash runs it. */
    private Word readWord() {
        Word word = new Word();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || OPERATORS.indexOf(c) >= 0) {
                break;
            }
            pos++;
            switch (c) {
                case '\'' -> {
                    word.quoted = true;
                    readUntil(word, '\'', false);
                }
                case '"' -> {
                    word.quoted = true;
                    readUntil(word, '"', true);
                }
                case '\\' -> {
                    word.quoted = true;
                    if (pos < text.length()) {
                        word.text.append(text.charAt(pos++));
                    }
                }
                case '$' -> {
                    word.expands = true;
                    skipExpansion();
                }
                case '`' -> {
                    word.expands = true;
                    readUntil(new Word(), '`', false);
                }
                case '=' -> {
                    // VAR=value before the command is an assignment, not the command, unless the name was quoted.
                    if (!word.quoted && !word.expands && !word.assignment && isName(word.text)) {
                        word.assignment = true;
                    }
                    word.text.append(c);
                }
                default -> {
                    if (word.text.length() == 0 && c == '~' && !word.quoted) {
                        word.expands = true;
                    }
                    if ("*?[{".indexOf(c) >= 0) {
                        word.globby = true;
                    }
                    word.text.append(c);
                }
            }
        }
        return word;
    }

    /**
     * Appends up to the closing quote; in double quotes a backslash escapes and {@code $}/backtick expand.
     * A quote that is never closed is a syntax error bash will report: the word is then left to bash.
     */
    private void readUntil(Word word, char close, boolean doubleQuoted) {
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == close) {
                return;
            }
            if (doubleQuoted && c == '\\' && pos < text.length() && "\\\"$`\n".indexOf(text.charAt(pos)) >= 0) {
                word.text.append(text.charAt(pos++));
            } else {
                if (doubleQuoted && (c == '$' || c == '`')) {
                    word.expands = true;
                }
                word.text.append(c);
            }
        }
        word.expands = true;
    }

    /** Skips {@code $(..)} or {@code ${..}} so that their parentheses are not taken for shell syntax. */
    private void skipExpansion() {
        if (pos >= text.length()) {
            return;
        }
        char open = text.charAt(pos);
        char close = open == '(' ? ')' : open == '{' ? '}' : 0;
        if (close == 0) {
            return;
        }
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return;
            }
        }
    }

    private static boolean isName(CharSequence s) {
        if (s.length() == 0 || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_') || i == s.length() - 1 && c == '+';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static final class Word {
        final StringBuilder text = new StringBuilder();
        boolean quoted;
        boolean expands;
        boolean globby;
        boolean assignment;

        boolean dynamic() {
            String s = text.toString();
            // "[", "[[" and "{" are the test builtin and keywords, not globs or brace expansions.
            boolean literalBracket = s.equals("[") || s.equals("[[") || s.equals("{");
            return expands || globby && !literalBracket;
        }
    }
}
