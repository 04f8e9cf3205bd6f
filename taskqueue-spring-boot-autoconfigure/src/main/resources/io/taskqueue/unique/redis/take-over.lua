-- Hand a key to another task if the expected one still holds it.
-- KEYS[1] the key; ARGV[1] expected holder, ARGV[2] new task id, ARGV[3] hold for (ms). Returns 1 or 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
