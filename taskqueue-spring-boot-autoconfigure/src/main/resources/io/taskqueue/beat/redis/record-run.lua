-- Record a handled tick, never moving backwards. KEYS[1] last-run key  ARGV[1] tick millis
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
