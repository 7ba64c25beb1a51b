-- placeholder, replaced by the store implementation
SELECT 1;
