package io.snapci.server.events;

/**
 * One server-sent event of a run's stream: its name ({@code status}, {@code phase}, {@code tests},
 * {@code progress}, {@code log}, {@code end}) and its JSON data.
 */
public record RunEvent(String name, Object data) {

    public boolean isEnd() {
        return "end".equals(name);
    }
}
