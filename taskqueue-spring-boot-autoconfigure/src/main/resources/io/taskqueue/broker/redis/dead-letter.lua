-- Move a delivery to its queue's dead-letter list with the reason.
-- KEYS[1] unacked  KEYS[2] unacked_index  KEYS[3] delivery counters  KEYS[4] dead-letter list
-- ARGV[1] tag  ARGV[2] dead-letter record (JSON)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('LPUSH', KEYS[4], ARGV[2])
return 1
