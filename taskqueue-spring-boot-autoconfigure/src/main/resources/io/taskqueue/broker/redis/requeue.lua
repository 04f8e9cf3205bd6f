-- Give a delivery back to its queue (back of the line, as kombu's reject with requeue does),
-- only if it is still unacked here (a restore may have moved it already).
-- KEYS[1] unacked  KEYS[2] unacked_index  KEYS[3] target list   ARGV[1] tag  ARGV[2] envelope
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('LPUSH', KEYS[3], ARGV[2])
return 1
