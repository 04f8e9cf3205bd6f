-- Record a finished chord member as Celery's Redis backend does (ZADD to <gid>.j, counted against
-- <gid>.s + <gid>.t), in one atomic step. A member already recorded (it ran again after a
-- redelivery) is not added twice, and the completion is claimed once (<gid>.cb), so exactly one
-- caller receives the members and publishes the callback.
-- KEYS[1] .j  KEYS[2] .s  KEYS[3] .t  KEYS[4] .cb  KEYS[5] .ids (members recorded by taskqueue)
-- ARGV[1] score  ARGV[2] entry '[1, "<id>", "<STATE>", <result>]'  ARGV[3] task id  ARGV[4] ttl seconds
if redis.call('SADD', KEYS[5], ARGV[3]) == 0 then
  return nil
end
redis.call('EXPIRE', KEYS[5], ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local count = redis.call('ZCOUNT', KEYS[1], '-inf', '+inf')
local size = tonumber(redis.call('GET', KEYS[2]) or '-1')
local extra = tonumber(redis.call('GET', KEYS[3]) or '0')
for i = 1, 3 do
  redis.call('EXPIRE', KEYS[i], ARGV[4])
end
if size >= 0 and count >= size + extra and redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[4]) then
  local members = redis.call('ZRANGE', KEYS[1], 0, -1)
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[5])
  return members
end
return nil
