-- wrk script: POST a small chat completion with a bearer key (AUTH_KEY env).
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence, please."}],"max_tokens":32,"temperature":0}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("AUTH_KEY") or "none")
