-- Revoke a task: the per-task key (what a worker without an up-to-date list reads), the list of
-- revocations by expiry (what a worker loads when it subscribes), and a notification to the workers
-- holding that list in memory. Times are Redis's own, so clocks of other machines do not matter.
-- KEYS[1] taskqueue-revoked-<id>   KEYS[2] taskqueue-revoked (zset: id -> expiry in ms, +inf: never)
-- ARGV[1] task id   ARGV[2] 'revoke' or 'terminate'   ARGV[3] time to live in ms (0: forever)
-- ARGV[4] revocation channel   ARGV[5] termination channel
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[2])
  redis.call('ZADD', KEYS[2], '+inf', ARGV[1])
end
-- The list lives as long as its longest revocation.
if redis.call('ZCOUNT', KEYS[2], '+inf', '+inf') > 0 then
  redis.call('PERSIST', KEYS[2])
elseif redis.call('PTTL', KEYS[2]) < ttl then
  redis.call('PEXPIRE', KEYS[2], ttl)
end
redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. ttl)
if ARGV[2] == 'terminate' then
  redis.call('PUBLISH', ARGV[5], ARGV[1])
end
return 1
