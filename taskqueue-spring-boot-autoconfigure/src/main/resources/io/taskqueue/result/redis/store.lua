-- Store tasks' states as Celery's Redis backend does (SETEX + PUBLISH of the same JSON), never
-- replacing a SUCCESS, and writing PENDING (unannounced) only where nothing is stored yet. Several
-- states are stored in one call, in order. A state with a reply channel is also announced there, as
-- '<task id>\n<JSON>', for the taskqueue process that sent the task.
-- KEYS[i] celery-task-meta-<id>   ARGV[3i-2] meta JSON   ARGV[3i-1] status   ARGV[3i] reply channel or ''
-- ARGV[3 * #KEYS + 1] ttl seconds (0 = none)
local ttl = tonumber(ARGV[3 * #KEYS + 1])
local prefix = #'celery-task-meta-'
local written = 0
for i, key in ipairs(KEYS) do
  local meta = ARGV[3 * i - 2]
  local status = ARGV[3 * i - 1]
  local reply = ARGV[3 * i]
  if status == 'PENDING' then
    local set
    if ttl > 0 then
      set = redis.call('SET', key, meta, 'NX', 'EX', ttl)
    else
      set = redis.call('SET', key, meta, 'NX')
    end
    if set then written = written + 1 end
  else
    local keep = false
    local current = redis.call('GET', key)
    -- decode only what may be a SUCCESS (a cheap test first: most writes replace STARTED)
    if current and string.find(current, 'SUCCESS', 1, true) then
      local ok, stored = pcall(cjson.decode, current)
      keep = ok and type(stored) == 'table' and stored['status'] == 'SUCCESS'
    end
    if not keep then
      if ttl > 0 then
        redis.call('SETEX', key, ttl, meta)
      else
        redis.call('SET', key, meta)
      end
      -- the reply first: a waiting process that hears of the state on the task's own channel with no
      -- reply before it knows that a worker without replies (Python's) ran the task
      if reply ~= '' then
        redis.call('PUBLISH', reply, string.sub(key, prefix + 1) .. '\n' .. meta)
      end
      redis.call('PUBLISH', key, meta)
      written = written + 1
    end
  end
end
return written
