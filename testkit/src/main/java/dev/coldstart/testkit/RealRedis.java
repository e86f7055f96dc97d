package dev.coldstart.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link TestRedis} field to be filled with a fresh key prefix on the real Redis: a static
 * field gets one prefix for the class, an instance field one per test; its keys are deleted after.
 * Needs {@link ColdstartScenarios} on the class.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RealRedis {
}
