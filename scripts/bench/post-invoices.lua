-- POST /api/invoices with valid, distinct bodies: customers, products and quantities vary per request.
-- CUSTOMERS and PRODUCTS (comma-separated ids) come from the environment.
dofile(os.getenv("BENCH_DIR") .. "/report.lua")

local function split(text)
  local items = {}
  for item in string.gmatch(text, "[^,]+") do table.insert(items, item) end
  return items
end

local customers = split(os.getenv("CUSTOMERS"))
local products = split(os.getenv("PRODUCTS"))
local counter = 0
local headers = {["Content-Type"] = "application/json"}

request = function()
  counter = counter + 1
  local body = string.format('{"customerId":"%s","productId":"%s","quantity":%d}',
    customers[counter % #customers + 1], products[counter % #products + 1], counter % 1000 + 1)
  return wrk.format("POST", "/api/invoices", headers, body)
end
