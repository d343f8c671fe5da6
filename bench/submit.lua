-- wrk script: submits a complete questionnaire per request, each with another personal token
-- (POST /answer/{token}); tokens are split between wrk threads, and a thread stops when its share is used up.
-- Double-submit CSRF: the cookie loft_csrf and the form field csrf_token carry the same value.
--
-- Environment:
--   BENCH_TOKENS  file with one personal token per line (from the mapping_bench example's `prepare`)
--   BENCH_FORM    file with one line: the answers as a form body (q-F-C=L&…)
--   BENCH_LABEL   name printed on the RESULT line

local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  if line ~= "" then tokens[#tokens + 1] = line end
end
local form = io.open(os.getenv("BENCH_FORM")):read("*l")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "loft_csrf=benchcsrf"
wrk.body = "csrf_token=benchcsrf&action=submit&" .. form

-- thread_id and nthreads are globals: thread:set() writes a thread's globals (a chunk-level local would shadow them).
thread_id, nthreads = 0, 0
local threads = {}
function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
  nthreads = thread_id
  table.insert(threads, thread)
  for _, t in ipairs(threads) do t:set("nthreads", nthreads) end
end

local next_index, sent = nil, 0
function request()
  if next_index == nil then next_index = thread_id + 1 end
  local token = tokens[next_index] or tokens[#tokens]
  next_index = next_index + nthreads
  sent = sent + 1
  return wrk.format(nil, "/answer/" .. token)
end

statuses = {}
local received = 0
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  received = received + 1
  if next_index > #tokens then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local ms = function(us) return string.format("%.2f", us / 1000) end
  local ok, other = 0, 0
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for code, n in pairs(s) do
        if code >= 200 and code <= 299 then ok = ok + n else other = other + n end
      end
    end
  end
  io.write(string.format(
    "RESULT label=%s requests=%d ok=%d non2xx=%d rps=%.0f ok_per_s=%.0f p50_ms=%s p90_ms=%s p95_ms=%s p99_ms=%s max_ms=%s socket_errors=%d seconds=%.2f\n",
    os.getenv("BENCH_LABEL") or "-", summary.requests, ok, other, summary.requests / seconds, ok / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)),
    ms(latency:percentile(99)), ms(latency.max), e.connect + e.read + e.write + e.timeout, seconds))
end
