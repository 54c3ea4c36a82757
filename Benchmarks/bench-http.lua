-- wrk script of bench-http.py. BENCH_MODE: plain (no header), bearer (GET with a token from
-- BENCH_TOKENS; several lines = a new token every request, never repeated) or post (POST
-- BENCH_BODY with the first token). Counts answers whose status is not BENCH_EXPECT
-- ("2xx" or a code) and reports "unexpected: N", and "tokens wrapped" if a thread ran out.
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  mode = os.getenv("BENCH_MODE")
  expect = os.getenv("BENCH_EXPECT")
  unexpected = 0
  wrapped = false
  tokens = {}
  local file = os.getenv("BENCH_TOKENS")
  if file then
    local lines = {}
    for line in io.lines(file) do table.insert(lines, line) end
    -- With many tokens, thread `id` of n takes every n-th line, so no two threads send the
    -- same one; with one, every thread sends it.
    local n = tonumber(os.getenv("BENCH_THREADS_TOTAL") or "1")
    for i, line in ipairs(lines) do
      if #lines <= n or (i - id) % n == 0 then table.insert(tokens, line) end
    end
  end
  next = 1
  if mode == "post" then
    wrk.method = "POST"
    wrk.body = os.getenv("BENCH_BODY")
    wrk.headers["Content-Type"] = "application/json"
  end
  if #tokens > 0 then wrk.headers["Authorization"] = "Bearer " .. tokens[1] end
  -- Only a request that changes needs formatting each time: without a global `request`, wrk
  -- formats the request once and sends the same bytes. Formatting every request cost wrk 1 to
  -- 2 µs of the cores it shares with the server.
  if mode == "bearer" and #tokens > 1 then request = rotating end
end

-- A GET with the next token, each token used once.
function rotating()
  if next > #tokens then
    next = 1
    wrapped = true
  end
  wrk.headers["Authorization"] = "Bearer " .. tokens[next]
  next = next + 1
  return wrk.format()
end

function response(status, headers, body)
  local ok
  if expect == "2xx" then ok = status >= 200 and status < 300 else ok = tostring(status) == expect end
  if not ok then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  local total, ran_out = 0, false
  for _, thread in ipairs(threads) do
    total = total + thread:get("unexpected")
    if thread:get("wrapped") then ran_out = true end
  end
  io.write(string.format("unexpected: %d\n", total))
  if ran_out then io.write("tokens wrapped\n") end
end
