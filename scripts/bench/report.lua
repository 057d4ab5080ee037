-- Shared by the benchmark scripts: counts answers by status in every thread and prints one line
-- the bench script parses: requests/s, p50 and p99 in ms, socket errors, non-2xx, and 201s.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  non2xx = 0
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  end
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local created_total, non2xx_total = 0, 0
  for _, thread in ipairs(threads) do
    created_total = created_total + thread:get("created")
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.0f %.2f %.2f %d %d %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, non2xx_total, created_total))
end
