CREATE TABLE phone_verification_attempts (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    attempted_at timestamptz NOT NULL
);
ALTER TABLE users ADD COLUMN legacy_phone text;
