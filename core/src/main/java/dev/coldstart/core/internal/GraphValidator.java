package dev.coldstart.core.internal;

import dev.coldstart.core.Component;
import dev.coldstart.core.GraphValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Checks a component graph before anything starts. Iterative, so a chain of 10,000 components
 * cannot overflow the stack. Dependencies are visited in name order, so the problems found (and a
 * cycle's path) are the same on every run.
 */
final class GraphValidator {
    private GraphValidator() {
    }

    /**
     * Each component's dependencies in name order, sorted once for the validation and the wiring.
     *
     * @param components the components
     * @return the sorted names, indexed like {@code components}
     */
    static String[][] sortedDependencies(List<Component> components) {
        String[][] sorted = new String[components.size()][];
        for (int i = 0; i < sorted.length; i++) {
            String[] deps = components.get(i).dependsOn().toArray(new String[0]);
            Arrays.sort(deps);
            sorted[i] = deps;
        }
        return sorted;
    }

    static void validate(List<Component> components, String[][] sortedDeps, List<String> duplicates) {
        List<String> problems = new ArrayList<>();
        for (String d : new LinkedHashSet<>(duplicates)) {
            problems.add("duplicate component name '" + d + "': names must be unique");
        }
        Map<String, Integer> index = new HashMap<>(components.size() * 2);
        for (int i = 0; i < components.size(); i++) {
            index.put(components.get(i).name(), i);
        }
        for (int i = 0; i < components.size(); i++) {
            Component c = components.get(i);
            for (String dep : sortedDeps[i]) {
                Integer target = index.get(dep);
                if (target == null) {
                    problems.add("missing dependency '" + dep + "' needed by '" + c.name()
                            + "': add a component named '" + dep + "' or remove it from dependsOn");
                } else if (dep.equals(c.name())) {
                    problems.add("cycle: " + dep + " -> " + dep);
                } else if (c.required() && !components.get(target).required()) {
                    problems.add("required component '" + c.name() + "' depends on optional '" + dep
                            + "': make '" + dep + "' required or '" + c.name() + "' optional");
                }
            }
        }
        findCycles(components, sortedDeps, index, problems);
        if (!problems.isEmpty()) {
            throw new GraphValidationException(problems);
        }
    }

    private static void findCycles(List<Component> components, String[][] sortedDeps, Map<String, Integer> index,
            List<String> problems) {
        int n = components.size();
        // 0 = unvisited, 1 = on the DFS path, 2 = done
        byte[] color = new byte[n];
        int[] path = new int[n];
        int[] nextDep = new int[n];
        for (int root = 0; root < n; root++) {
            if (color[root] != 0) {
                continue;
            }
            int depth = 0;
            color[root] = 1;
            path[depth] = root;
            nextDep[depth] = 0;
            depth++;
            while (depth > 0) {
                int top = path[depth - 1];
                String[] deps = sortedDeps[top];
                if (nextDep[depth - 1] == deps.length) {
                    color[top] = 2;
                    depth--;
                    continue;
                }
                Integer next = index.get(deps[nextDep[depth - 1]++]);
                if (next == null || next == top) {
                    continue; // reported as missing or self-cycle already
                }
                if (color[next] == 1) {
                    problems.add("cycle: " + cyclePath(components, path, depth, next));
                } else if (color[next] == 0) {
                    color[next] = 1;
                    path[depth] = next;
                    nextDep[depth] = 0;
                    depth++;
                }
            }
        }
    }

    private static String cyclePath(List<Component> components, int[] path, int depth, int repeated) {
        List<String> cycle = new ArrayList<>();
        boolean in = false;
        for (int i = 0; i < depth; i++) {
            if (path[i] == repeated) {
                in = true;
            }
            if (in) {
                cycle.add(components.get(path[i]).name());
            }
        }
        cycle.add(components.get(repeated).name());
        return String.join(" -> ", cycle);
    }
}
