-- Delete a key only if the given task holds it. KEYS[1] the key; ARGV[1] task id. Returns 1 or 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
