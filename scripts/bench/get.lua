-- A plain GET of the URL given to wrk, with the shared report.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")
