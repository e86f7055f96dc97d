CREATE TABLE customer_order (
    id           BIGINT        PRIMARY KEY,
    tenant_id    VARCHAR(64)   NOT NULL REFERENCES tenant (id),
    currency     CHAR(3)       NOT NULL REFERENCES currency (code),
    amount_minor BIGINT        NOT NULL,
    created_at   TIMESTAMP     NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX customer_order_tenant_idx ON customer_order (tenant_id);
