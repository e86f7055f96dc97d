CREATE TABLE tenant_setting (
    tenant_id     VARCHAR(64)  NOT NULL REFERENCES tenant (id),
    name          VARCHAR(100) NOT NULL,
    setting_value VARCHAR(500) NOT NULL,
    PRIMARY KEY (tenant_id, name)
);
