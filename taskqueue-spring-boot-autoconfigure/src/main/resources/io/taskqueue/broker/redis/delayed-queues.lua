-- The queues that have delayed messages: the registry of queues taskqueue producers delayed
-- messages for, without those whose delayed set has since emptied (they are removed from it).
-- KEYS[1] the registry (set of queue names)   ARGV[1] the key prefix of delayed sets
-- Returns the queue names.
local live = {}
for _, queue in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. queue) == 1 then
    live[#live + 1] = queue
  else
    redis.call('SREM', KEYS[1], queue)
  end
end
return live
