package io.snapci.server.events;

/**
 * One server-sent event of a run's stream: its name ({@code status}, {@code phase}, {@code tests},
 * {@code progress}, {@code log}, {@code end}), its JSON data, and its id (a {@link StreamPosition}).
 */
public record RunEvent(String name, Object data, String id) {

    public boolean isEnd() {
        return "end".equals(name);
    }
}
