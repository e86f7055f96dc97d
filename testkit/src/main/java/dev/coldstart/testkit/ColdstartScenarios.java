package dev.coldstart.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Activates the coldstart testkit on a test class, the way Testcontainers' {@code @Testcontainers}
 * does: fields annotated {@link RealPostgres} and {@link RealRedis} are filled with fresh
 * resources, test methods may take a {@link ScenarioContext}, each {@code csNN_snake_case_name}
 * method records a {@link ScenarioResult}, and the catalogue is printed and written under
 * {@code target/coldstart/} at the end of the run.
 *
 * <p>The scenario interfaces ({@link DatabaseScenarios} and the others) carry it already, so a test
 * class that implements one needs nothing more.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ColdstartExtension.class)
public @interface ColdstartScenarios {
}
