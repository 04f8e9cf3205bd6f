-- Reserve the next execution slot of a rate limit (GCRA), on Redis's clock so that every worker
-- agrees: returns how many microseconds until the slot (0: run now).
-- KEYS[1] the limit's key   ARGV[1] interval between slots in microseconds
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
local ttl = math.ceil((slot + interval - now) / 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', ttl)
return slot - now
