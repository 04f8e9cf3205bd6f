-- Store tasks' states as Celery's Redis backend does (SETEX + PUBLISH of the same JSON), never
-- replacing a SUCCESS, and writing PENDING only where nothing is stored yet. Several states are
-- stored in one call, in order.
-- KEYS[i] celery-task-meta-<id>   ARGV[2i-1] meta JSON   ARGV[2i] status
-- ARGV[2 * #KEYS + 1] ttl seconds (0 = none)
local ttl = tonumber(ARGV[2 * #KEYS + 1])
local written = 0
for i, key in ipairs(KEYS) do
  local meta = ARGV[2 * i - 1]
  local status = ARGV[2 * i]
  local keep = false
  local current = redis.call('GET', key)
  if current then
    if status == 'PENDING' then
      keep = true
    elseif string.find(current, 'SUCCESS', 1, true) then
      -- decode only what may be a SUCCESS (a cheap test first: most writes replace STARTED)
      local ok, stored = pcall(cjson.decode, current)
      keep = ok and type(stored) == 'table' and stored['status'] == 'SUCCESS'
    end
  end
  if not keep then
    if ttl > 0 then
      redis.call('SETEX', key, ttl, meta)
    else
      redis.call('SET', key, meta)
    end
    if status ~= 'PENDING' then
      redis.call('PUBLISH', key, meta)
    end
    written = written + 1
  end
end
return written
