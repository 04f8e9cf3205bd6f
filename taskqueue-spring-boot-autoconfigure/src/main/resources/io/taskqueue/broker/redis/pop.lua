-- Atomically promote due delayed messages, then take up to ARGV[1] messages from the priority
-- lists (served in KEYS order) and record each as unacked exactly as kombu does, so that no
-- message is ever popped without being recorded.
-- KEYS[1] unacked (hash)  KEYS[2] unacked_index (zset)  KEYS[3] delivery counters (hash)
-- KEYS[4] delayed (zset)  KEYS[5..] priority lists
-- ARGV[1] max  ARGV[2] lease score (now in seconds)  ARGV[3] now (millis)  ARGV[4] routing key (queue)
-- ARGV[5..] delivery tags to settle first, as ack.lua does (acknowledgements sent along, saving a call)
-- Returns {tag1, envelope1, count1 (integer), tag2, ...}, followed by the next due time in millis or ''.
local max = tonumber(ARGV[1])
if #ARGV > 4 then
  redis.call('ZREM', KEYS[2], unpack(ARGV, 5))
  redis.call('HDEL', KEYS[1], unpack(ARGV, 5))
  redis.call('HDEL', KEYS[3], unpack(ARGV, 5))
end
local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', ARGV[3], 'LIMIT', 0, 1000)
for i = #due, 1, -1 do
  local member = due[i]
  local step = tonumber(string.sub(member, 1, 1))
  redis.call('RPUSH', KEYS[5 + step], string.sub(member, 3))
end
if #due > 0 then
  redis.call('ZREM', KEYS[4], unpack(due))
end
local out = {}
local taken = 0
local routing = cjson.encode(ARGV[4])
for li = 5, #KEYS do
  while taken < max do
    local envelope = redis.call('RPOP', KEYS[li])
    if not envelope then break end
    -- kombu's and taskqueue's envelopes end with the delivery tag: read it from there, and
    -- decode the whole JSON (the costliest step of this script) only for other shapes.
    local tag = string.match(envelope, '^{.*"delivery_tag": ?"([%w%-]+)"}}$')
    local ok = tag ~= nil
    if not ok then
      local decoded
      ok, decoded = pcall(cjson.decode, envelope)
      if ok and type(decoded) == 'table' and type(decoded['properties']) == 'table' then
        tag = decoded['properties']['delivery_tag']
      end
    end
    if type(tag) ~= 'string' then
      tag = 'taskqueue-untagged-' .. redis.sha1hex(envelope) .. '-' .. ARGV[3]
    end
    redis.call('ZADD', KEYS[2], ARGV[2], tag)
    if ok then
      redis.call('HSET', KEYS[1], tag, '[' .. envelope .. ', "", ' .. routing .. ']')
    else
      redis.call('HSET', KEYS[1], tag, '[' .. cjson.encode(envelope) .. ', "", ' .. routing .. ']')
    end
    local count = redis.call('HINCRBY', KEYS[3], tag, 1)
    out[#out + 1] = tag
    out[#out + 1] = envelope
    out[#out + 1] = count
    taken = taken + 1
  end
end
local nextDue = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
out[#out + 1] = nextDue[2] or ''
return out
