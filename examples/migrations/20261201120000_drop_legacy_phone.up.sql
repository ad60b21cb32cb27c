-- The accounts service stopped reading legacy_phone in 5.1.0.
ALTER TABLE users DROP COLUMN legacy_phone;
DROP TABLE phone_verification_attempts;
