package com.driftremediator.slack;

import com.driftremediator.domain.Outcome;
import com.driftremediator.domain.Report;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The triggers: which outcomes are posted, per environment (what is said is the renderer's job).
 * Syntax of {@code NOTIFY_POLICY}: {@code ENV=ITEM[,ITEM...][;ENV=...]}, ENV an environment name or {@code *},
 * ITEM one of {@code all}, {@code none}, {@code changes}, {@code failures} or an outcome name
 * (e.g. {@code prod=failures;*=changes}). An environment without a rule and without {@code *} gets {@code changes}.
 */
public final class NotifyPolicy {
    public static final String DEFAULT = "*=changes";

    /** Something was done or went wrong: everything but NOOP and SKIPPED. */
    private static final Set<Outcome> CHANGES = EnumSet.complementOf(EnumSet.of(Outcome.NOOP, Outcome.SKIPPED));
    /** Someone has to look: the app is not (known to be) on the desired revision. */
    private static final Set<Outcome> FAILURES =
            EnumSet.of(Outcome.FAILED, Outcome.ROLLED_BACK, Outcome.TIMED_OUT, Outcome.UNREACHABLE);

    private final Map<String, Set<Outcome>> rules;

    private NotifyPolicy(Map<String, Set<Outcome>> rules) {
        this.rules = rules;
    }

    /** Parses a policy; a blank text means {@link #DEFAULT}. Throws IllegalArgumentException naming the bad part. */
    public static NotifyPolicy parse(String text) {
        String policy = text == null || text.isBlank() ? DEFAULT : text;
        Map<String, Set<Outcome>> rules = new LinkedHashMap<>();
        for (String rule : policy.split(";")) {
            if (rule.isBlank()) continue;
            int eq = rule.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("NOTIFY_POLICY rule without ENV=: '" + rule.strip() + "'");
            String env = rule.substring(0, eq).strip();
            Set<Outcome> outcomes = EnumSet.noneOf(Outcome.class);
            for (String item : rule.substring(eq + 1).split(",")) {
                outcomes.addAll(items(item.strip().toUpperCase(Locale.ROOT)));
            }
            if (rules.put(env, outcomes) != null) {
                throw new IllegalArgumentException("NOTIFY_POLICY names environment '" + env + "' twice");
            }
        }
        return new NotifyPolicy(rules);
    }

    private static Set<Outcome> items(String item) {
        return switch (item) {
            case "ALL" -> EnumSet.allOf(Outcome.class);
            case "NONE", "" -> EnumSet.noneOf(Outcome.class);
            case "CHANGES" -> CHANGES;
            case "FAILURES" -> FAILURES;
            default -> {
                try {
                    yield EnumSet.of(Outcome.valueOf(item));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("NOTIFY_POLICY: unknown item '" + item
                            + "' (all, none, changes, failures or an outcome such as FAILED)");
                }
            }
        };
    }

    public boolean notifies(Report report) {
        Set<Outcome> outcomes = rules.get(report.environment());
        if (outcomes == null) outcomes = rules.getOrDefault("*", CHANGES);
        return outcomes.contains(report.outcome());
    }
}
