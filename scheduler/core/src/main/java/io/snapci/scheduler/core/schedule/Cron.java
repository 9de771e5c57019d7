package io.snapci.scheduler.core.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A five-field cron expression in UTC: {@code minute hour day-of-month month day-of-week}, each {@code *}, a number,
 * a range {@code a-b}, a list {@code a,b} or a step {@code * /n} / {@code a-b/n}; day-of-week 0-7 with 0 and 7 Sunday.
 * As in classic cron, when both day fields are restricted a day matching either counts.
 */
public final class Cron {

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean daysRestricted;
    private final boolean weekdaysRestricted;

    private Cron(String[] f) {
        minutes = field(f[0], 0, 59, "minute");
        hours = field(f[1], 0, 23, "hour");
        days = field(f[2], 1, 31, "day of month");
        months = field(f[3], 1, 12, "month");
        weekdays = field(f[4], 0, 7, "day of week");
        if (weekdays.get(7)) {
            weekdays.set(0);
        }
        daysRestricted = !f[2].equals("*");
        weekdaysRestricted = !f[4].equals("*");
    }

    public static Cron parse(String expression) {
        String[] fields = expression == null ? new String[0] : expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("cron '" + expression + "' needs five fields: minute hour day-of-month"
                    + " month day-of-week, e.g. '0 * * * *' for hourly");
        }
        return new Cron(fields);
    }

    public boolean matches(Instant instant) {
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        if (!minutes.get(t.getMinute()) || !hours.get(t.getHour()) || !months.get(t.getMonthValue())) {
            return false;
        }
        boolean day = days.get(t.getDayOfMonth());
        boolean weekday = weekdays.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (daysRestricted && weekdaysRestricted) {
            return day || weekday;
        }
        return day && weekday;
    }

    /**
     * The latest minute at or before {@code now} and after {@code after} that matches, or null: the one tick to take
     * after a pause, however many were missed. Looks back at most a year and a day.
     */
    public Instant latestIn(Instant after, Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.MINUTES);
        Instant limit = now.minus(367, ChronoUnit.DAYS);
        while (t.isAfter(after) && t.isAfter(limit)) {
            if (matches(t)) {
                return t;
            }
            t = t.minus(1, ChronoUnit.MINUTES);
        }
        return null;
    }

    /** How many ticks fall within {@code window} minutes starting at {@code from}: for sizing retention. */
    public int countIn(Instant from, long windowMinutes) {
        int count = 0;
        Instant t = from.truncatedTo(ChronoUnit.MINUTES);
        for (long i = 0; i < windowMinutes; i++, t = t.plus(1, ChronoUnit.MINUTES)) {
            if (matches(t)) {
                count++;
            }
        }
        return count;
    }

    private static BitSet field(String text, int min, int max, String what) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, what);
                range = part.substring(0, slash);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(ends[0], min, max, what);
                to = number(ends[1], min, max, what);
            } else {
                from = number(range, min, max, what);
                to = slash >= 0 ? max : from;
            }
            if (from > to) {
                throw new IllegalArgumentException("cron " + what + " range '" + range + "' runs backwards");
            }
            for (int v = from; v <= to; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String text, int min, int max, String what) {
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new IllegalArgumentException("cron " + what + " " + value + " is outside " + min + "-" + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cron " + what + " '" + text + "' is not a number, range, list or"
                    + " step", e);
        }
    }
}
