-- wrk script: rotates through request paths, sends auth headers, and prints
-- a machine-readable summary with p95 (wrk's --latency shows 50/75/90/99 only).
--
-- Environment:
--   BENCH_PATHS   file with one request path per line (default: just "/")
--   BENCH_COOKIE  value for the Cookie header (optional)
--   BENCH_TOKEN   API token, sent as "Authorization: Bearer <token>" (optional)
--   BENCH_LABEL   name printed on the RESULT line

local paths = {}
local file = os.getenv("BENCH_PATHS")
if file and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      paths[#paths + 1] = line
    end
  end
end
if #paths == 0 then
  paths[1] = "/"
end

local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- thread_id and statuses are globals: thread:set()/thread:get() reach a thread's globals only (chunk-level
-- locals shadowed them, so every thread started at the same path and non2xx was always 0).
local counter = 0
thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  -- Start each thread at a different place in the list.
  counter = thread_id * 7
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path)
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local ms = function(us) return string.format("%.2f", us / 1000) end
  local non2xx = 0
  for _, t in ipairs(threads) do
    -- statuses live in each thread's Lua state; count anything that is not 2xx.
    local s = t:get("statuses")
    if s then
      for code, n in pairs(s) do
        if code < 200 or code > 299 then non2xx = non2xx + n end
      end
    end
  end
  io.write(string.format(
    "RESULT label=%s requests=%d rps=%.0f p50_ms=%s p90_ms=%s p95_ms=%s p99_ms=%s max_ms=%s non2xx=%d socket_errors=%d\n",
    os.getenv("BENCH_LABEL") or "-",
    summary.requests, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(95)),
    ms(latency:percentile(99)), ms(latency.max), non2xx,
    e.connect + e.read + e.write + e.timeout))
end
