package io.snapci.executor.mask;

/** Masking could not finish: the run ends ERROR and no test sees the copy. */
public final class MaskingException extends RuntimeException {

    public MaskingException(String message) {
        super(message);
    }

    public MaskingException(String message, Throwable cause) {
        super(message, cause);
    }
}
