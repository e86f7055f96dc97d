CREATE TABLE setting (
    tenant_key text NOT NULL REFERENCES tenant (key),
    name       text NOT NULL,
    value      text NOT NULL,
    PRIMARY KEY (tenant_key, name)
);
-- Keeps the lock held long enough that instances started at the same instant queue behind it.
SELECT pg_sleep(1);
