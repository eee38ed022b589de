-- wrk script for the /match load test: POSTs the bodies of BODIES_FILE (one JSON body
-- a line, written by bench/api/load.py) in turn, each thread from its own offset, and
-- prints one JSON line of results at the end (latencies in microseconds; wrk counts
-- any status of 400 or more under errors.status). No response() hook: it would make
-- wrk hand every body to Lua.
local bodies = {}
local path = os.getenv("BODIES_FILE")
local query = os.getenv("MATCH_QUERY") or "/match/default"
for line in io.lines(path) do
  bodies[#bodies + 1] = line
end

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 997)
  table.insert(threads, thread)
end

local index = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  index = offset or 0
end

function request()
  index = index + 1
  return wrk.format("POST", query, headers, bodies[(index % #bodies) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, '
      .. '"max": %d, "mean": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
