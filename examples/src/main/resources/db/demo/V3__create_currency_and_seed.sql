-- Reference data every release needs, shipped with the schema so it is versioned with it.
CREATE TABLE currency (
    code        CHAR(3)     PRIMARY KEY,
    name        VARCHAR(50) NOT NULL,
    minor_units INT         NOT NULL
);

INSERT INTO currency (code, name, minor_units) VALUES
    ('EUR', 'Euro', 2),
    ('USD', 'US Dollar', 2),
    ('JPY', 'Japanese Yen', 0),
    ('CHF', 'Swiss Franc', 2);
