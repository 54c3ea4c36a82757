-- wrk script of bench-http.py. BENCH_MODE: plain (no header); bearer (GET with the token in
-- the file BENCH_TOKENS); fresh (GET with a new token every request, never repeated: thread
-- `id` sends the lines of BENCH_TOKENS.<id> in order); post (POST BENCH_BODY with the token
-- of BENCH_TOKENS). Counts answers whose status is not BENCH_EXPECT ("2xx" or a code) and
-- reports "unexpected: N", and "tokens wrapped" if a thread ran out of fresh tokens.
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
  if mode == "post" then
    wrk.method = "POST"
    wrk.body = os.getenv("BENCH_BODY")
    wrk.headers["Content-Type"] = "application/json"
  end
  if mode == "bearer" or mode == "post" then
    local file = io.open(os.getenv("BENCH_TOKENS"))
    wrk.headers["Authorization"] = "Bearer " .. file:read("*l")
    file:close()
  elseif mode == "fresh" then
    -- Without a global `request`, wrk formats the request once and sends the same bytes; this
    -- one changes every time. Formatting it with wrk.format() on every request cost wrk about
    -- 6.5 µs of user time more than a repeated token (on the cores it shares with the
    -- server), so the request is formatted once around a marker, and each request is the
    -- text before it, a token, and the text after it.
    local marker = "\0token\0"
    wrk.headers["Authorization"] = "Bearer " .. marker
    local template = wrk.format()
    local at = template:find(marker, 1, true)
    before, after = template:sub(1, at - 1), template:sub(at + #marker)
    -- Read as they are sent, not here: wrk starts each thread as soon as its `init` returns,
    -- and counts its answers before the clock starts, so a long `init` (reading every token)
    -- in the next thread lets this one's head start inflate req/s.
    tokens = io.open(os.getenv("BENCH_TOKENS") .. "." .. id)
    request = fresh
  end
end

-- The next request, with the next token of this thread's file.
function fresh()
  local token = tokens:read("*l")
  if not token then
    wrapped = true
    tokens:seek("set")
    token = tokens:read("*l")
  end
  return before .. token .. after
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
