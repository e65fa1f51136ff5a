// Copyright (c) Charter contributors. Licensed under the MIT License.

namespace Charter.Redis;

/// <summary>The Lua scripts behind <see cref="RedisLimitStore"/>: each call checks and charges atomically on the server.</summary>
/// <remarks>
/// Keys per subject (key, then team): 1 window hash (fields r&lt;bucket&gt; = requests, t&lt;bucket&gt; = tokens, and the
/// running sums R and T of every bucket field present, L = the bucket at the last trim, NR/NT = newest bucket with requests /
/// tokens), 2 concurrency sorted set (member = lease, score = expiry ms), 3 day spend (nano-USD), 4 month spend.
/// The sums make an admission O(1): it no longer reads every bucket of the window (with 60 buckets, two subjects and both
/// counters, a scan of up to 240 fields in Lua; Redis CPU per request for both scripts went from ~160 to ~65 µs in
/// bench/load/run.sh).
/// Redis runs a script alone, so check-then-charge has no read-modify-write race between instances.
/// Numbers are Lua doubles: exact up to 2^53 (9 million dollars in nano-dollars per counter).
/// </remarks>
internal static class RedisLimitScripts
{
    /// <summary>
    /// ARGV: now_ms, bucket_ms, buckets, lease_member, lease_expiry_ms, estimate, day_wait_ms, month_wait_ms, then per
    /// subject rpm, tpm, max_concurrent, day_budget, month_budget.
    /// Returns: status (0 ok, else LimitKind), scope, retry_ms, bucket, key_conc, team_conc,
    /// then per subject used_requests, used_tokens, reset_requests_ms, reset_tokens_ms (-1 = not scanned).
    /// </summary>
    public const string Acquire = """
        local now = tonumber(ARGV[1])
        local bms = tonumber(ARGV[2])
        local n = tonumber(ARGV[3])
        local member = ARGV[4]
        local leaseExp = tonumber(ARGV[5])
        local est = tonumber(ARGV[6])
        local dayWait = tonumber(ARGV[7])
        local monthWait = tonumber(ARGV[8])
        local cur = math.floor(now / bms)
        local oldest = cur - n + 1
        local subjects = #KEYS / 4
        local out = {0, 0, 0, cur, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1}

        -- The window's sums as of now: buckets that left it since the last trim are subtracted and deleted (usually one
        -- bucket, at most n); a window written without the sums (an earlier version) is summed once.
        -- Also returns the current bucket's two values, so that an admission writes the hash with one HSET.
        local function trim(h)
          local v = redis.call('HMGET', h, 'L', 'R', 'T', 'NR', 'NT', 'r' .. cur, 't' .. cur)
          local last = tonumber(v[1])
          local ureq, utok = tonumber(v[2]) or 0, tonumber(v[3]) or 0
          local nr, nt = tonumber(v[4]) or -1, tonumber(v[5]) or -1
          local rc, tc = tonumber(v[6]) or 0, tonumber(v[7]) or 0
          -- Idle for a whole window: buckets a settlement added since the last prune may still be in it, so sum what is there.
          if last == nil or cur - last >= n then
            ureq, utok, nr, nt = 0, 0, -1, -1
            local flat = redis.call('HGETALL', h)
            local stale = {}
            for i = 1, #flat, 2 do
              local f = flat[i]
              local b = tonumber(string.sub(f, 2))
              local x = tonumber(flat[i + 1])
              local c = string.sub(f, 1, 1)
              if b == nil or b < oldest or (c ~= 'r' and c ~= 't') then
                stale[#stale + 1] = f
              elseif c == 'r' then
                ureq = ureq + x
                if x > 0 and b > nr then nr = b end
              else
                utok = utok + x
                if x > 0 and b > nt then nt = b end
              end
            end
            if #stale > 0 then redis.call('HDEL', h, unpack(stale)) end
          elseif last < cur then
            local fields = {}
            for b = last - n + 1, cur - n do
              fields[#fields + 1] = 'r' .. b
              fields[#fields + 1] = 't' .. b
            end
            if #fields > 0 then
              local vals = redis.call('HMGET', h, unpack(fields))
              for i = 1, #fields, 2 do
                ureq = ureq - (tonumber(vals[i]) or 0)
                utok = utok - (tonumber(vals[i + 1]) or 0)
              end
              redis.call('HDEL', h, unpack(fields))
            end
          end
          if last == nil or last < cur then -- either branch above ran
            redis.call('HSET', h, 'L', cur, 'R', ureq, 'T', utok, 'NR', nr, 'NT', nt)
            -- Once per bucket is enough: the hash then outlives the bucket's last write by at least the window.
            redis.call('PEXPIRE', h, (n + 1) * bms)
          end
          return ureq, utok, nr, nt, rc, tc
        end

        -- Per-bucket values oldest..cur, read only to say when a refused request would fit.
        local function buckets(h, prefix)
          local fields = {}
          for b = oldest, cur do fields[#fields + 1] = prefix .. b end
          local vals = redis.call('HMGET', h, unpack(fields))
          local t = {}
          for i = 1, #fields do t[oldest + i - 1] = tonumber(vals[i]) end
          return t
        end

        local function freeing(values, used, need, limit)
          local freed = 0
          for b = oldest, cur do
            local v = values[b]
            if v then freed = freed + v end
            if used - freed + need <= limit then return (b + n) * bms - now end
          end
          return n * bms
        end

        local function reset(newest)
          if newest < oldest then return 0 end
          return (newest + n) * bms - now
        end

        local conc, cnt = {}, {}
        for s = 0, subjects - 1 do
          local k = s * 4
          local a = 9 + s * 5
          local rpm = tonumber(ARGV[a])
          local tpm = tonumber(ARGV[a + 1])
          local mc = tonumber(ARGV[a + 2])
          local dayB = tonumber(ARGV[a + 3])
          local monthB = tonumber(ARGV[a + 4])
          local ureq, utok, nr, nt, rc, tc = trim(KEYS[k + 1])
          cnt[s] = {ureq, utok, rc, tc}
          local o = 7 + s * 4
          out[o] = ureq
          out[o + 1] = utok
          out[o + 2] = reset(nr)
          out[o + 3] = reset(nt)
          out[2] = s
          if monthB > 0 and tonumber(redis.call('GET', KEYS[k + 4]) or '0') >= monthB then
            out[1] = 5
            out[3] = monthWait
            return out
          end
          if dayB > 0 and tonumber(redis.call('GET', KEYS[k + 3]) or '0') >= dayB then
            out[1] = 4
            out[3] = dayWait
            return out
          end
          if mc > 0 then
            redis.call('ZREMRANGEBYSCORE', KEYS[k + 2], '-inf', now)
            if redis.call('ZCARD', KEYS[k + 2]) >= mc then
              out[1] = 3
              out[3] = 1000
              return out
            end
          end
          if rpm > 0 and ureq + 1 > rpm then
            out[1] = 1
            out[3] = freeing(buckets(KEYS[k + 1], 'r'), ureq, 1, rpm)
            return out
          end
          local need = est
          if tpm > 0 and need > tpm then need = tpm end
          if tpm > 0 and need > 0 and utok + need > tpm then
            out[1] = 2
            out[3] = freeing(buckets(KEYS[k + 1], 't'), utok, need, tpm)
            return out
          end
          conc[s] = mc
        end

        out[2] = 0
        local window = (cur + n) * bms - now
        for s = 0, subjects - 1 do
          local k = s * 4
          local h = KEYS[k + 1]
          local c = cnt[s]
          if est > 0 then
            redis.call('HSET', h, 'r' .. cur, c[3] + 1, 'R', c[1] + 1, 't' .. cur, c[4] + est, 'T', c[2] + est, 'NR', cur, 'NT', cur)
          else
            redis.call('HSET', h, 'r' .. cur, c[3] + 1, 'R', c[1] + 1, 'NR', cur)
          end
          if conc[s] > 0 then
            redis.call('ZADD', KEYS[k + 2], leaseExp, member)
            redis.call('PEXPIRE', KEYS[k + 2], leaseExp - now + 1000)
            out[5 + s] = 1
          end
          local o = 7 + s * 4
          out[o] = out[o] + 1
          out[o + 1] = out[o + 1] + est
          out[o + 2] = window
          if est > 0 then out[o + 3] = window end
        end
        return out
        """;

    /// <summary>
    /// ARGV: now_ms, bucket_ms, buckets, lease_member, charged_bucket, token_delta, cost_nano, day_ttl_s, month_ttl_s,
    /// key_conc, team_conc. Moves the estimate to the real figure, releases concurrency, adds the spend.
    /// </summary>
    public const string Complete = """
        local now = tonumber(ARGV[1])
        local bms = tonumber(ARGV[2])
        local n = tonumber(ARGV[3])
        local member = ARGV[4]
        local charged = tonumber(ARGV[5])
        local delta = tonumber(ARGV[6])
        local cost = tonumber(ARGV[7])
        local cur = math.floor(now / bms)
        for s = 0, #KEYS / 4 - 1 do
          local k = s * 4
          local h = KEYS[k + 1]
          if delta ~= 0 then
            if charged > cur - n and redis.call('HEXISTS', h, 't' .. charged) == 1 then
              local v = redis.call('HINCRBY', h, 't' .. charged, delta)
              local applied = delta
              if v < 0 then
                redis.call('HSET', h, 't' .. charged, 0)
                applied = delta - v
              end
              redis.call('HINCRBY', h, 'T', applied)
              -- The newest bucket with tokens just fell to none: find the one before it (rare: a request used no tokens).
              if v <= 0 and (tonumber(redis.call('HGET', h, 'NT')) or -1) == charged then
                local fields = {}
                for b = charged - 1, cur - n + 1, -1 do fields[#fields + 1] = 't' .. b end
                local nt = -1
                if #fields > 0 then
                  local vals = redis.call('HMGET', h, unpack(fields))
                  for i = 1, #fields do
                    local x = tonumber(vals[i])
                    if x and x > 0 then
                      nt = charged - i
                      break
                    end
                  end
                end
                redis.call('HSET', h, 'NT', nt)
              elseif v == delta and delta > 0 and (tonumber(redis.call('HGET', h, 'NT')) or -1) < charged then
                -- The bucket's tokens had settled to zero (a request there used none) and a request charged no estimate
                -- now adds some: the bucket may be newer than NT again.
                redis.call('HSET', h, 'NT', charged)
              end
            elseif delta > 0 then
              redis.call('HINCRBY', h, 't' .. cur, delta)
              redis.call('HINCRBY', h, 'T', delta)
              if (tonumber(redis.call('HGET', h, 'NT')) or -1) < cur then redis.call('HSET', h, 'NT', cur) end
              redis.call('PEXPIRE', h, (n + 1) * bms)
            end
          end
          if ARGV[10 + s] == '1' then redis.call('ZREM', KEYS[k + 2], member) end
          if cost > 0 then
            redis.call('INCRBY', KEYS[k + 3], ARGV[7])
            redis.call('EXPIRE', KEYS[k + 3], ARGV[8])
            redis.call('INCRBY', KEYS[k + 4], ARGV[7])
            redis.call('EXPIRE', KEYS[k + 4], ARGV[9])
          end
        end
        return 1
        """;
}
