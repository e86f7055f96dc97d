/**
 * Database start for coldstart: a HikariCP pool that survives a database that is not up yet, Flyway
 * migrations under a cross-instance PostgreSQL advisory lock, a schema version guard, transactional
 * init-once seeding with retry of serialization failures, and a connection budget check.
 *
 * <p>Every mechanism is a {@link dev.coldstart.core.Component} (or made into one by a factory method)
 * so that a {@link dev.coldstart.core.StartupOrchestrator} starts them in order:
 *
 * <pre>{@code
 * DataSourceComponent pool = DataSourceComponent.of("orders-db", PoolConfig.builder()
 *         .jdbcUrl("jdbc:postgresql://db:5432/orders")
 *         .username("orders").password(secret)
 *         .applicationName("orders-7f9c")
 *         .build());
 * MigrationComponent migrations = MigrationComponent.of("orders-migrations", pool, MigrationConfig.ofDefaults());
 * InitOnce seed = InitOnce.of("orders-seed", pool, connection -> insertDefaultTenant(connection))
 *         .dependsOn(migrations.name());
 * StartupOrchestrator.builder().component(pool).component(migrations).component(seed).build().start();
 * }</pre>
 *
 * <p>Arguments and return values are non-null unless a method says otherwise.
 */
package dev.coldstart.database;
