-- List the revocations in force, each with the milliseconds it has left (0: forever), unless the
-- caller already holds exactly as many as are in force: then only that count is returned, so the
-- periodic check of a worker costs one ZCOUNT, not the whole list.
-- KEYS[1] taskqueue-revoked (zset: id -> expiry in ms)   ARGV[1] how many the caller holds (-1: none)
-- Returns {count} or {count, id1, left1, id2, left2, ...}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local count = redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
local out = { tostring(count) }
if count == tonumber(ARGV[1]) then
  return out
end
local entries = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES')
for i = 1, #entries, 2 do
  out[#out + 1] = entries[i]
  local score = entries[i + 1]
  if score == 'inf' or score == '+inf' then
    out[#out + 1] = '0'
  else
    out[#out + 1] = tostring(math.max(1, math.floor(tonumber(score) - now)))
  end
end
return out
