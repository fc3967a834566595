-- wrk script: POST /api/payouts with a valid body, spread over the users in BENCH_USER_IDS
-- (comma-separated, each with a big balance), varying the amount and the method.
-- Needs PAYOUTS_TOKEN.
local token = os.getenv("PAYOUTS_TOKEN") or error("set PAYOUTS_TOKEN")
local users = {}
for id in string.gmatch(os.getenv("BENCH_USER_IDS") or error("set BENCH_USER_IDS"), "[0-9]+") do
  users[#users + 1] = id
end
local methods = { "stripe_bank", "paypal", "check" }
local n = 0

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

-- Each wrk thread has its own Lua state: start the threads at different points of the sequence.
function setup(thread)
  thread:set("offset", math.random(0, 1000000))
end

request = function()
  n = n + 1
  local i = n + (offset or 0)
  local body = string.format('{"userId":%s,"amount":"%d.%02d","method":"%s"}',
    users[i % #users + 1], 10 + i % 90, (i * 37) % 100, methods[i % #methods + 1])
  return wrk.format(nil, "/api/payouts", nil, body)
end
