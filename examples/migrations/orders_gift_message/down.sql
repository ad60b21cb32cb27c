DROP INDEX CONCURRENTLY IF EXISTS orders_gift_message_present;
ALTER TABLE orders DROP COLUMN gift_message;
