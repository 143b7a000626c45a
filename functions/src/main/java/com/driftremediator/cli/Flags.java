package com.driftremediator.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command's arguments: {@code --name value} options (from a known set), {@code --switch}es and positionals. */
final class Flags {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param withValue option names that take a value (aliases such as "-e" included)
     * @param switches  option names without a value
     */
    Flags(String[] args, Set<String> withValue, Set<String> switches) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (withValue.contains(a)) {
                if (i + 1 >= args.length) throw new Main.UsageException(a + " needs a value");
                values.put(a, args[++i]);
            } else if (switches.contains(a)) {
                values.put(a, "true");
            } else if (a.startsWith("-") && !a.equals("-")) {
                throw new Main.UsageException("unknown option " + a);
            } else {
                positional.add(a);
            }
        }
    }

    String get(String... names) {
        for (String n : names) if (values.containsKey(n)) return values.get(n);
        return null;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int getInt(String name, int fallback) {
        String v = get(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new Main.UsageException(name + " wants a number, not " + v);
        }
    }

    List<String> positional() {
        return positional;
    }
}
