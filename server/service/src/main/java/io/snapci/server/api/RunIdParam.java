package io.snapci.server.api;

import io.snapci.server.ApiProblem;

import java.util.regex.Pattern;

/** Run ids as RunIds makes them (and FileRunStore accepts); anything else cannot name a run. */
final class RunIdParam {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private RunIdParam() {
    }

    static String check(String id) {
        if (id == null || !SHAPE.matcher(id).matches()) {
            throw ApiProblem.notFound("no run with id '" + (id == null ? "" : id.length() > 40
                    ? id.substring(0, 40) + "..." : id) + "': run ids look like r20261125-061253-4f2a");
        }
        return id;
    }
}
