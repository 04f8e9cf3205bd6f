-- Claim a unique-task key unless held. KEYS[1] the key; ARGV[1] task id, ARGV[2] hold for (ms).
-- Returns '' when claimed, else the holder's task id.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return ''
end
return redis.call('GET', KEYS[1])
