package dev.coldstart.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link TestDatabase} field to be filled with a fresh PostgreSQL database: a static field
 * gets one database for the class (dropped after all its tests), an instance field one per test
 * (dropped after it). Needs {@link ColdstartScenarios} on the class.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RealPostgres {
}
