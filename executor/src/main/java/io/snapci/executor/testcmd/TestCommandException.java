package io.snapci.executor.testcmd;

/** The test command cannot run as given. The message is shown to the user and says what to fix. */
public class TestCommandException extends Exception {

    public TestCommandException(String message) {
        super(message);
    }
}
