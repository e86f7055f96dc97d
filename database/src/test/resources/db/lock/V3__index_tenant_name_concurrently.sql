-- Non-transactional: hangs under Flyway's transactional lock or behind a blocked pg_advisory_lock waiter.
CREATE INDEX CONCURRENTLY tenant_name_idx ON tenant (name);
