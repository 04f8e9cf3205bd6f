-- Record sent tasks as PENDING where nothing is stored yet (a batch of SET NX).
-- KEYS[i] celery-task-meta-<id>   ARGV[i] meta JSON   ARGV[#KEYS + 1] ttl seconds (0 = none)
local ttl = tonumber(ARGV[#KEYS + 1])
for i, key in ipairs(KEYS) do
  if ttl > 0 then
    redis.call('SET', key, ARGV[i], 'NX', 'EX', ttl)
  else
    redis.call('SET', key, ARGV[i], 'NX')
  end
end
return #KEYS
