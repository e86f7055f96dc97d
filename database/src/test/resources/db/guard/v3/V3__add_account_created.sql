ALTER TABLE account ADD COLUMN created timestamptz NOT NULL DEFAULT now();
