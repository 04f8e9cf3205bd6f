-- Return unacked messages whose lease ran out (their consumer died) to the consuming end of
-- their queue, marked redelivered, as kombu's restore_visible does, in one atomic step.
-- Only messages taken by taskqueue consumers (those with a delivery counter) are restored:
-- kombu consumers hold countdown messages in unacked without renewing them, and restore
-- their own after their own visibility timeout.
-- KEYS[1] unacked  KEYS[2] unacked_index  KEYS[3] delivery counters
-- ARGV[1] cutoff (seconds)  ARGV[2] limit  ARGV[3] key prefix  ARGV[4] priority separator
if cjson.decode_array_with_array_mt then cjson.decode_array_with_array_mt(true) end
local tags = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local restored = 0
for _, tag in ipairs(tags) do
  if redis.call('HEXISTS', KEYS[3], tag) == 1 then
  local stored = redis.call('HGET', KEYS[1], tag)
  redis.call('ZREM', KEYS[2], tag)
  redis.call('HDEL', KEYS[1], tag)
  if stored then
    local ok, entry = pcall(cjson.decode, stored)
    if ok and type(entry) == 'table' and type(entry[1]) == 'table' and type(entry[3]) == 'string' then
      local envelope = entry[1]
      local priority = 0
      if type(envelope['properties']) == 'table' then
        priority = tonumber(envelope['properties']['priority']) or 0
        if type(envelope['properties']['delivery_info']) == 'table' then
          envelope['properties']['delivery_info']['redelivered'] = true
        end
      end
      if type(envelope['headers']) == 'table' then
        envelope['headers']['redelivered'] = true
      end
      local list = ARGV[3] .. entry[3]
      if priority >= 9 then list = list .. ARGV[4] .. '9'
      elseif priority >= 6 then list = list .. ARGV[4] .. '6'
      elseif priority >= 3 then list = list .. ARGV[4] .. '3' end
      redis.call('RPUSH', list, cjson.encode(envelope))
      restored = restored + 1
    elseif ok and type(entry) == 'table' and type(entry[1]) == 'string' and type(entry[3]) == 'string' then
      redis.call('RPUSH', ARGV[3] .. entry[3], entry[1])
      restored = restored + 1
    elseif not ok then
      -- An envelope that pop.lua took for JSON by its tail but is not: unwrap it from the
      -- '[envelope, "", routing]' that pop.lua wrote, and return it as it came.
      local raw, routing = string.match(stored, '^%[(.*), "", ("[^"]*")%]$')
      local routingOk, queue = pcall(cjson.decode, routing or '')
      if raw and routingOk and type(queue) == 'string' then
        redis.call('RPUSH', ARGV[3] .. queue, raw)
        restored = restored + 1
      end
    end
  end
  end
end
return restored
