-- Settle deliveries: forget them in kombu's bookkeeping and in the delivery counters.
-- KEYS[1] unacked  KEYS[2] unacked_index  KEYS[3] delivery counters   ARGV: delivery tags
redis.call('ZREM', KEYS[2], unpack(ARGV))
redis.call('HDEL', KEYS[1], unpack(ARGV))
redis.call('HDEL', KEYS[3], unpack(ARGV))
return #ARGV
