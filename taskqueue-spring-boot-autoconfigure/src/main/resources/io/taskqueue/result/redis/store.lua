-- Store a task's state as Celery's Redis backend does (SETEX + PUBLISH of the same JSON), never
-- replacing a SUCCESS, and writing PENDING only where nothing is stored yet.
-- KEYS[1] celery-task-meta-<id>   ARGV[1] meta JSON  ARGV[2] status  ARGV[3] ttl seconds (0 = none)
local current = redis.call('GET', KEYS[1])
if current then
  if ARGV[2] == 'PENDING' then return 0 end
  local ok, meta = pcall(cjson.decode, current)
  if ok and type(meta) == 'table' and meta['status'] == 'SUCCESS' then return 0 end
end
if tonumber(ARGV[3]) > 0 then
  redis.call('SETEX', KEYS[1], ARGV[3], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
if ARGV[2] ~= 'PENDING' then
  redis.call('PUBLISH', KEYS[1], ARGV[1])
end
return 1
