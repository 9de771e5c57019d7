package io.snapci.server.config;

import io.snapci.scheduler.LocalMode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration in layers, each overriding the one before: built-in defaults, the configuration file
 * (Java properties: {@code http.port=8484}), the environment ({@code SNAPCI_HTTP_PORT}), the command line
 * ({@code --set http.port=8484}). Every error names the key and the layer the bad value came from.
 */
public final class ServeConfigLoader {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private final Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
    private final Map<ConfigKey, String> origins = new EnumMap<>(ConfigKey.class);

    private ServeConfigLoader() {
        for (ConfigKey key : ConfigKey.values()) {
            key.defaultValue().ifPresent(v -> put(key, v, "the default"));
        }
    }

    /**
     * @param file  the configuration file, or null for none
     * @param env   the process environment (only SNAPCI_* variables of known keys are read)
     * @param flags {@code --set} pairs from the command line
     */
    public static ServeConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        ServeConfigLoader loader = new ServeConfigLoader();
        if (file != null) {
            loader.readFile(file);
        }
        for (ConfigKey key : ConfigKey.values()) {
            String value = env.get(key.envName());
            if (value != null) {
                loader.put(key, value, "environment variable " + key.envName());
            }
        }
        flags.forEach((name, value) -> loader.put(known(name, "--set " + name), value, "--set " + name));
        return loader.build();
    }

    private void readFile(Path file) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new ConfigException("cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        for (String name : props.stringPropertyNames()) {
            put(known(name, file.toString()), props.getProperty(name), file.toString());
        }
    }

    private static ConfigKey known(String name, String where) {
        return ConfigKey.byKey(name).orElseThrow(() -> new ConfigException(
                "unknown configuration key '" + name + "' in " + where + "; known keys: " + ConfigKey.knownKeys()));
    }

    private void put(ConfigKey key, String value, String origin) {
        values.put(key, value.strip());
        origins.put(key, origin);
    }

    private ServeConfig build() {
        ServeConfig.Mode mode = switch (text(ConfigKey.MODE).toLowerCase(Locale.ROOT)) {
            case "local" -> ServeConfig.Mode.LOCAL;
            case "mesos" -> ServeConfig.Mode.MESOS;
            default -> throw invalid(ConfigKey.MODE, "expected local or mesos");
        };
        Path workRoot = optional(ConfigKey.LOCAL_WORK_ROOT) == null ? LocalMode.defaultWorkRoot()
                : Path.of(optional(ConfigKey.LOCAL_WORK_ROOT));
        Path workDir = Path.of(optional(ConfigKey.LOCAL_WORK_DIR) == null ? "" : optional(ConfigKey.LOCAL_WORK_DIR));
        AuthConfig auth = new AuthConfig(tokens(), list(ConfigKey.AUTH_READ_ONLY_TOKENS),
                optional(ConfigKey.AUTH_DCOS_PUBLIC_KEY_FILE) == null ? null
                        : Path.of(optional(ConfigKey.AUTH_DCOS_PUBLIC_KEY_FILE)),
                list(ConfigKey.AUTH_DCOS_ALLOWED_UIDS));
        return new ServeConfig(mode, text(ConfigKey.HTTP_HOST), integer(ConfigKey.HTTP_PORT, 0, 65535),
                integer(ConfigKey.RUNS_MAX_CONCURRENT, 1, 64), integer(ConfigKey.RUNS_MAX_QUEUED, 0, 10_000),
                duration(ConfigKey.SHUTDOWN_TIMEOUT), workRoot.toAbsolutePath().normalize(),
                workDir.toAbsolutePath().normalize(), auth, optional(ConfigKey.MESOS_MASTER),
                optional(ConfigKey.ZK_URL));
    }

    private Set<String> tokens() {
        Set<String> tokens = list(ConfigKey.AUTH_TOKENS);
        String file = optional(ConfigKey.AUTH_TOKENS_FILE);
        if (file != null) {
            try {
                Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).forEach(tokens::add);
            } catch (IOException e) {
                throw invalid(ConfigKey.AUTH_TOKENS_FILE, "cannot read it: " + e);
            }
        }
        return tokens;
    }

    private String text(ConfigKey key) {
        String value = optional(key);
        if (value == null) {
            throw new ConfigException(key.key() + " is required: " + key.description());
        }
        return value;
    }

    private String optional(ConfigKey key) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? null : value;
    }

    private Set<String> list(ConfigKey key) {
        String value = optional(key);
        Set<String> items = new LinkedHashSet<>();
        if (value != null) {
            Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(items::add);
        }
        return items;
    }

    private int integer(ConfigKey key, int min, int max) {
        String value = text(key);
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                throw invalid(key, "must be between " + min + " and " + max);
            }
            return number;
        } catch (NumberFormatException e) {
            throw invalid(key, "expected a whole number between " + min + " and " + max);
        }
    }

    /** 90s, 5m, 1h, 500ms, or ISO-8601 (PT90S). */
    private Duration duration(ConfigKey key) {
        String value = text(key).toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(value);
        try {
            Duration parsed = value.startsWith("pt") ? Duration.parse(value.toUpperCase(Locale.ROOT))
                    : m.matches() ? switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(Long.parseLong(m.group(1)));
                        case "s" -> Duration.ofSeconds(Long.parseLong(m.group(1)));
                        case "m" -> Duration.ofMinutes(Long.parseLong(m.group(1)));
                        default -> Duration.ofHours(Long.parseLong(m.group(1)));
                    } : null;
            if (parsed == null || parsed.isNegative()) {
                throw invalid(key, "expected a duration such as 90s, 5m or 1h");
            }
            return parsed;
        } catch (java.time.format.DateTimeParseException e) {
            throw invalid(key, "expected a duration such as 90s, 5m or 1h");
        }
    }

    private ConfigException invalid(ConfigKey key, String problem) {
        String shown = key.isSecret() ? "(hidden)" : "'" + values.get(key) + "'";
        return new ConfigException(key.key() + " = " + shown + " (from " + origins.get(key) + "): " + problem);
    }
}
