package com.driftremediator.emulator;

import software.amazon.event.ruler.Machine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * EventBridge for the emulator: the template's own rule patterns, matched with AWS's Event Ruler library, and the
 * matching function invoked with the event (asynchronously, as EventBridge invokes a Lambda target): one invocation
 * after another per function, the functions independent of each other.
 */
public final class EventRouter implements AutoCloseable {
    /** A rule of template.yaml, its intrinsic functions resolved: which function gets what, from which bus. */
    public record Rule(String functionId, String name, String bus, String pattern) {
    }

    /** Invokes a function once with an event (the CLI's `invoke`). */
    public interface Functions {
        void invoke(String functionId, String event);
    }

    private final Map<String, Machine> buses = new HashMap<>();
    private final Map<String, String> functionOfRule = new HashMap<>();
    private final Functions functions;
    private final Map<String, ExecutorService> invokers = new java.util.concurrent.ConcurrentHashMap<>();

    public EventRouter(List<Rule> rules, Functions functions) {
        this.functions = functions;
        for (Rule r : rules) {
            String name = r.functionId() + "." + r.name();
            try {
                buses.computeIfAbsent(r.bus(), b -> new Machine()).addRule(name, r.pattern());
            } catch (Exception e) {
                throw new IllegalArgumentException("rule " + name + " is not a valid event pattern: " + r.pattern(), e);
            }
            functionOfRule.put(name, r.functionId());
        }
    }

    /** The functions whose rules on {@code bus} match {@code event}; each is invoked with it, in order. */
    public List<String> route(String bus, String event) {
        Machine machine = buses.get(bus);
        if (machine == null) return List.of();
        List<String> matched;
        try {
            matched = machine.rulesForJSONEvent(event).stream().map(functionOfRule::get).distinct().sorted().toList();
        } catch (Exception e) {
            return List.of(); // not JSON: EventBridge would not have accepted it
        }
        for (String function : matched) invoke(function, event);
        return matched;
    }

    /** Submits an invocation that no rule decides (an SNS subscription's). */
    public void invoke(String functionId, String event) {
        invokers.computeIfAbsent(functionId, f -> Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, f);
            t.setDaemon(true);
            return t;
        })).submit(() -> functions.invoke(functionId, event));
    }

    /** Waits until every routed invocation so far has ended. */
    public void drain() {
        try {
            for (ExecutorService invoker : List.copyOf(invokers.values())) invoker.submit(() -> { }).get();
        } catch (Exception e) {
            throw new IllegalStateException("the event router stopped", e);
        }
    }

    @Override
    public void close() {
        invokers.values().forEach(ExecutorService::shutdown);
        try {
            for (ExecutorService invoker : invokers.values()) invoker.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
