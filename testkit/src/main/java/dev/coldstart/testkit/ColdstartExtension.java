package dev.coldstart.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link ColdstartScenarios}. Resources live in JUnit's
 * {@link ExtensionContext.Store}, so JUnit closes them even when a test fails: class-level ones after
 * the class, method-level ones after the method, the {@link ScenarioCatalogue} at the end of the run.
 *
 * <p>Misuse (an annotated field of the wrong type, a final field) throws
 * {@link ExtensionConfigurationException} naming the field.
 */
public final class ColdstartExtension implements BeforeAllCallback, BeforeEachCallback, BeforeTestExecutionCallback,
        AfterTestExecutionCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ColdstartExtension.class);
    private static final Pattern SCENARIO_METHOD = Pattern.compile("cs(\\d{2})_([a-z0-9_]+)");

    /** Creates the extension; JUnit does this. */
    public ColdstartExtension() {
    }

    /**
     * The catalogue of this JUnit run, created on first use.
     *
     * @param context any extension context of the run
     * @return the catalogue
     */
    public static ScenarioCatalogue catalogue(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(ScenarioCatalogue.class, k -> new ScenarioCatalogue(outputDir(context)),
                        ScenarioCatalogue.class);
    }

    private static java.nio.file.Path outputDir(ExtensionContext context) {
        return context.getConfigurationParameter(ScenarioCatalogue.OUTPUT_DIR_PARAMETER)
                .map(java.nio.file.Path::of).orElse(ScenarioCatalogue.DEFAULT_OUTPUT_DIR);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        catalogue(context);
        injectFields(context, null, context.getRequiredTestClass());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(context, instance, instance.getClass());
        }
    }

    private static void injectFields(ExtensionContext context, Object instance, Class<?> type) throws IllegalAccessException {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                boolean pg = f.isAnnotationPresent(RealPostgres.class);
                boolean redis = f.isAnnotationPresent(RealRedis.class);
                if (!pg && !redis) {
                    continue;
                }
                boolean isStatic = Modifier.isStatic(f.getModifiers());
                if (isStatic != (instance == null)) {
                    continue; // static fields are filled before all, instance fields before each
                }
                Class<?> expected = pg ? TestDatabase.class : TestRedis.class;
                if (f.getType() != expected) {
                    throw new ExtensionConfigurationException("field " + c.getName() + "." + f.getName() + " is annotated @"
                            + (pg ? "RealPostgres" : "RealRedis") + " but has type " + f.getType().getName()
                            + "; declare it as " + expected.getSimpleName());
                }
                if (Modifier.isFinal(f.getModifiers())) {
                    throw new ExtensionConfigurationException("field " + c.getName() + "." + f.getName()
                            + " must not be final: the testkit assigns it");
                }
                String label = c.getSimpleName() + "_" + f.getName();
                AutoCloseable resource = pg ? TestDatabase.create(label) : TestRedis.create(label);
                context.getStore(NAMESPACE).put(f, resource);
                f.setAccessible(true);
                f.set(instance, resource);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == ScenarioContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        return scenarioContext(context);
    }

    private static ScenarioContext scenarioContext(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(ScenarioContext.class, k -> {
            Matcher matcher = SCENARIO_METHOD.matcher(m.getName());
            boolean scenario = matcher.matches();
            String id = scenario ? "CS-" + matcher.group(1) : null;
            String name = scenario ? matcher.group(2) : m.getName();
            String label = scenario ? "cs" + matcher.group(1) : m.getName();
            return new ScenarioContext(id, name, label, outputDir(context));
        }, ScenarioContext.class);
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(NAMESPACE).put("startNanos", System.nanoTime());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        Matcher matcher = SCENARIO_METHOD.matcher(m.getName());
        if (!matcher.matches()) {
            return;
        }
        Long start = context.getStore(NAMESPACE).get("startNanos", Long.class);
        Duration took = Duration.ofNanos(System.nanoTime() - (start == null ? System.nanoTime() : start));
        ScenarioContext sc = context.getStore(NAMESPACE).get(ScenarioContext.class, ScenarioContext.class);
        String failure = context.getExecutionException().map(t -> String.valueOf(t.getMessage())).orElse(null);
        catalogue(context).add(new ScenarioResult("CS-" + matcher.group(1), matcher.group(2),
                context.getRequiredTestClass().getName(), failure == null,
                sc == null ? java.util.Map.of() : sc.figures(), took, failure));
    }
}
