-- POST /api/customers with one valid body, for the validation benchmark.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Ada Lovelace","address":"12 St James Square, London"}'
