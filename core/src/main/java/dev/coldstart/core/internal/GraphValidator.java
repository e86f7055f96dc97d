package dev.coldstart.core.internal;

import dev.coldstart.core.Component;
import dev.coldstart.core.GraphValidationException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a component graph before anything starts. Iterative, so a chain of 10,000 components
 * cannot overflow the stack.
 */
final class GraphValidator {
    private GraphValidator() {
    }

    static void validate(List<Component> components, List<String> duplicates) {
        List<String> problems = new ArrayList<>();
        for (String d : new LinkedHashSet<>(duplicates)) {
            problems.add("duplicate component name '" + d + "': names must be unique");
        }
        Map<String, Component> byName = new HashMap<>();
        for (Component c : components) {
            byName.put(c.name(), c);
        }
        for (Component c : components) {
            for (String dep : new TreeSet<>(c.dependsOn())) {
                Component target = byName.get(dep);
                if (target == null) {
                    problems.add("missing dependency '" + dep + "' needed by '" + c.name()
                            + "': add a component named '" + dep + "' or remove it from dependsOn");
                } else if (dep.equals(c.name())) {
                    problems.add("cycle: " + dep + " -> " + dep);
                } else if (c.required() && !target.required()) {
                    problems.add("required component '" + c.name() + "' depends on optional '" + dep
                            + "': make '" + dep + "' required or '" + c.name() + "' optional");
                }
            }
        }
        findCycles(components, byName, problems);
        if (!problems.isEmpty()) {
            throw new GraphValidationException(problems);
        }
    }

    private static void findCycles(List<Component> components, Map<String, Component> byName, List<String> problems) {
        // 0 = unvisited, 1 = on the DFS path, 2 = done
        Map<String, Integer> color = new HashMap<>();
        for (Component root : components) {
            if (color.getOrDefault(root.name(), 0) != 0) {
                continue;
            }
            Deque<String> path = new ArrayDeque<>();
            Deque<Iterator<String>> iterators = new ArrayDeque<>();
            color.put(root.name(), 1);
            path.addLast(root.name());
            iterators.push(sortedDeps(root).iterator());
            while (!iterators.isEmpty()) {
                Iterator<String> it = iterators.peek();
                if (!it.hasNext()) {
                    iterators.pop();
                    color.put(path.removeLast(), 2);
                    continue;
                }
                String next = it.next();
                Component dep = byName.get(next);
                if (dep == null || next.equals(path.peekLast())) {
                    continue; // reported as missing or self-cycle already
                }
                int c = color.getOrDefault(next, 0);
                if (c == 1) {
                    problems.add("cycle: " + cyclePath(path, next));
                } else if (c == 0) {
                    color.put(next, 1);
                    path.addLast(next);
                    iterators.push(sortedDeps(dep).iterator());
                }
            }
        }
    }

    private static Set<String> sortedDeps(Component c) {
        return new TreeSet<>(c.dependsOn());
    }

    private static String cyclePath(Deque<String> path, String repeated) {
        List<String> cycle = new ArrayList<>();
        boolean in = false;
        for (String p : path) {
            if (p.equals(repeated)) {
                in = true;
            }
            if (in) {
                cycle.add(p);
            }
        }
        cycle.add(repeated);
        return String.join(" -> ", cycle);
    }
}
