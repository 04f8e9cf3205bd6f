-- Give up beat leadership if held. KEYS[1] leader key  ARGV[1] instance
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
