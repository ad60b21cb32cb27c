SET lock_timeout = '2s';
ALTER TABLE orders ADD COLUMN gift_message text;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_gift_message_present
    ON orders ((gift_message IS NOT NULL));
