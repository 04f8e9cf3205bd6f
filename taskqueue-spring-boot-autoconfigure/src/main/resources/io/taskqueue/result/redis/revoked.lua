-- List the revocations still in force, each with the milliseconds it has left.
-- KEYS[1] taskqueue-revoked (zset: id -> expiry in ms)
-- Returns {id1, left1, id2, left2, ...}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local entries = redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf', 'WITHSCORES')
local out = {}
for i = 1, #entries, 2 do
  out[#out + 1] = entries[i]
  out[#out + 1] = tostring(math.floor(tonumber(entries[i + 1]) - now))
end
return out
