package io.snapci.server.events;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an event stream stood after an event: the journal it read (the server process's {@code epoch}), the last of
 * the run's reports it delivered ({@code seq}), and how many of the run's phases it sent. It is the event's SSE
 * {@code id}, {@code <epoch>-<seq>-<phases>}, which a client that lost the stream sends back as
 * {@code Last-Event-ID} to resume right after it.
 */
public record StreamPosition(String epoch, long seq, int phases) {

    private static final Pattern ID = Pattern.compile("([0-9a-z]{1,32})-([0-9]{1,18})-([0-9]{1,4})");

    public String id() {
        return epoch + "-" + seq + "-" + phases;
    }

    /** Null for no header; an IllegalArgumentException for one this server cannot have given out. */
    public static StreamPosition parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        Matcher m = ID.matcher(lastEventId.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + lastEventId + "' is not an event id of a snapci event stream"
                    + " (<epoch>-<seq>-<phases>): send back the id of the last event received, or no Last-Event-ID");
        }
        return new StreamPosition(m.group(1), Long.parseLong(m.group(2)), Integer.parseInt(m.group(3)));
    }
}
