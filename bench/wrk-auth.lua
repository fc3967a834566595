-- wrk script: send every request with the bearer token in PAYOUTS_TOKEN.
local token = os.getenv("PAYOUTS_TOKEN") or error("set PAYOUTS_TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
