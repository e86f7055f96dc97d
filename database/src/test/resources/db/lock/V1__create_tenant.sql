CREATE TABLE tenant (
    id   bigserial PRIMARY KEY,
    key  text NOT NULL UNIQUE,
    name text NOT NULL
);
