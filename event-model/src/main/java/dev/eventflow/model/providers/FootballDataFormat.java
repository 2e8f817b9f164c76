package dev.eventflow.model.providers;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Facts of the football-data.co.uk CSV format that both the producer (keys and record timestamps)
 * and the stream processor (the mapping) rely on, so they read dates the same way.
 */
public final class FootballDataFormat {

    /** The provider id written in the raw envelope. */
    public static final String PROVIDER = "football-data";
    /** Kick-off times in the files are UK local time. */
    public static final ZoneId KICKOFF_ZONE = ZoneId.of("Europe/London");

    private static final Pattern DATE = Pattern.compile("(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{2}|\\d{4})");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2})[:.](\\d{2})");

    private FootballDataFormat() {
    }

    /** A value the format does not allow, with a stable code: {@code invalid-date} or {@code invalid-kickoff}. */
    public static final class InvalidValueException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;
        private final String code;

        InvalidValueException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * {@code dd/mm/yy} or {@code dd/mm/yyyy} ({@code .} and {@code -} also separate); two-digit years
     * 70-99 are 1970-1999, 00-69 are 2000-2069.
     */
    public static LocalDate date(String text) {
        Matcher matcher = DATE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new InvalidValueException("invalid-date", "Date '" + text + "' is not dd/mm/yy or dd/mm/yyyy");
        }
        int year = Integer.parseInt(matcher.group(3));
        if (matcher.group(3).length() == 2) {
            year += year >= 70 ? 1900 : 2000;
        }
        try {
            return LocalDate.of(year, Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(1)));
        } catch (DateTimeException e) {
            throw new InvalidValueException("invalid-date", "Date '" + text + "' is not a calendar date");
        }
    }

    /** The UK local kick-off time in UTC; midnight UTC of the date when there is no time. */
    public static Instant kickoff(LocalDate date, String time) {
        if (time == null || time.isBlank()) {
            return date.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        Matcher matcher = TIME.matcher(time.strip());
        if (!matcher.matches()) {
            throw new InvalidValueException("invalid-kickoff", "Time '" + time + "' is not hh:mm");
        }
        try {
            LocalTime clock = LocalTime.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
            return date.atTime(clock).atZone(KICKOFF_ZONE).toInstant();
        } catch (DateTimeException e) {
            throw new InvalidValueException("invalid-kickoff", "Time '" + time + "' is not a time of day");
        }
    }

    /** The provider's natural id of a row: {@code Div/Date/HomeTeam/AwayTeam} as written in the file. */
    public static String naturalKey(String division, String date, String homeTeam, String awayTeam) {
        return division + "/" + date + "/" + homeTeam + "/" + awayTeam;
    }
}
