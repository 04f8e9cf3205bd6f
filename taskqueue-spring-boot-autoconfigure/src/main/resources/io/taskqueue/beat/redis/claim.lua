-- Claim a tick. KEYS[1] tick key  ARGV[1] instance  ARGV[2] claim lease millis
local current = redis.call('GET', KEYS[1])
if not current then
  redis.call('SET', KEYS[1], 'claimed:' .. ARGV[1], 'PX', ARGV[2])
  return 'CLAIMED'
end
if current == 'sent' then return 'SENT' end
if current == 'claimed:' .. ARGV[1] then return 'CLAIMED' end
return 'HELD'
