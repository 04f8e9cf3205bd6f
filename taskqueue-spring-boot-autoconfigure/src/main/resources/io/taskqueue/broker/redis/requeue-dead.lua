-- Move one dead letter back to its queue list, if it is still there.
-- KEYS[1] dead-letter list  KEYS[2] target list   ARGV[1] dead-letter record  ARGV[2] envelope
if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then
  return 0
end
redis.call('LPUSH', KEYS[2], ARGV[2])
return 1
