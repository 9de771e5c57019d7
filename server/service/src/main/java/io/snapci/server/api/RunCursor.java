package io.snapci.server.api;

import io.snapci.server.ApiProblem;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The {@code next} of a {@code GET /v1/runs} page and the {@code after} of the following request: opaque to
 * clients (they pass it back as they got it), so what it holds can change without breaking them. Today it holds the
 * id of the page's last run, after a version tag.
 */
final class RunCursor {

    private static final String TAG = "1:";
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private RunCursor() {
    }

    static String after(String runId) {
        return ENCODER.encodeToString((TAG + runId).getBytes(StandardCharsets.UTF_8));
    }

    /** The run id a cursor names; a 400 for anything this server did not hand out. */
    static String runId(String cursor) {
        String text;
        try {
            text = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        if (!text.startsWith(TAG) || !RUN_ID.matcher(text.substring(TAG.length())).matches()) {
            throw ApiProblem.invalid("after", "not a cursor this API gave out: pass the 'next' of the previous page "
                    + "as it was, or leave 'after' out to start with the newest runs");
        }
        return text.substring(TAG.length());
    }
}
